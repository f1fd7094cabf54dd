package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seven orderers started one by one in random order, as on a loaded host where containers come
 * up seconds apart and elections run while some nodes are still starting: every orderer must
 * end with the same chain.
 */
class StaggeredStartTest {
  @TempDir
  Path dir;

  @RepeatedTest(2)
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void when_orderers_start_seconds_apart_then_every_one_reaches_the_same_chain() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 7, List.of("mychannel"), TestCluster.testBatch(), 1024)) {
      List<Integer> order = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7));
      Collections.shuffle(order);
      for (int id : order) {
        cluster.start(id);
        Thread.sleep(ThreadLocalRandom.current().nextLong(0, 1500));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.agreedLeader("mychannel") > 0);
      int leader = cluster.agreedLeader("mychannel");
      cluster.sendAll("mychannel", leader, 20);
      await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
        List<String> expected = cluster.hashes(leader, "mychannel");
        for (int id = 1; id <= 7; id++) {
          assertThat(cluster.hashes(id, "mychannel")).as("chain of orderer %d", id).isEqualTo(expected);
        }
      });
    }
  }

}
