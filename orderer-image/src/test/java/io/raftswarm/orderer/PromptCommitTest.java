package io.raftswarm.orderer;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers learn that a block is committed from the leader at once, not with its next
 * heartbeat (raft/PromptCommitAppender). The election timeout here is 10-20 s, so Ratis'
 * heartbeat comes every 5 s: followers writing a lone block within a second of the leader can
 * only have been told right away. Three rounds, so a heartbeat that happens to fall in the
 * second after a commit cannot pass the test on its own (odds 1 in 125 without the change).
 */
class PromptCommitTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void followers_write_a_lone_block_right_after_the_leader() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1024)) {
      for (int id = 1; id <= 3; id++) {
        cluster.env(id, "ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN", "10s").env(id, "ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX", "20s");
      }
      cluster.startAll();
      await().atMost(Duration.ofSeconds(90)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      cluster.settledHeight(CH, Duration.ofSeconds(30));

      for (int round = 1; round <= 3; round++) {
        long before = cluster.height(leader, CH);
        cluster.sendAll(CH, leader, 1);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
            .until(() -> cluster.height(leader, CH) > before);
        long height = cluster.height(leader, CH);
        await("round " + round + ": both followers at height " + height + " within 1 s of the leader")
            .atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
            .until(() -> followersAt(cluster, leader, height));
      }
    }
  }

  private static boolean followersAt(TestCluster cluster, int leader, long height) {
    for (int id = 1; id <= cluster.size(); id++) {
      if (id != leader && cluster.height(id, CH) < height) {
        return false;
      }
    }
    return true;
  }
}
