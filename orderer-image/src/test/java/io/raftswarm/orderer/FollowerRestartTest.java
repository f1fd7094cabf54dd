package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three orderers: a stopped follower misses blocks and catches up after restart. */
class FollowerRestartTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void when_a_stopped_follower_restarts_then_it_catches_up() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 10)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("mychannel") > 0);
      int leader = cluster.agreedLeader("mychannel");
      int follower = leader % 3 + 1;
      cluster.sendAll("mychannel", leader, 10);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.height(follower, "mychannel") == cluster.height(leader, "mychannel"));
      cluster.stop(follower);
      cluster.sendAll("mychannel", leader, 40);
      cluster.start(follower);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(follower, "mychannel")).isEqualTo(cluster.hashes(leader, "mychannel")));
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void when_a_stopped_leader_restarts_then_it_catches_up() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 10)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("mychannel") > 0);
      int leader = cluster.agreedLeader("mychannel");
      cluster.sendAll("mychannel", leader, 10);
      cluster.stop(leader);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("mychannel") > 0);
      int next = cluster.agreedLeader("mychannel");
      cluster.sendAll("mychannel", next, 40);
      cluster.start(leader);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(leader, "mychannel")).isEqualTo(cluster.hashes(next, "mychannel")));
    }
  }

}
