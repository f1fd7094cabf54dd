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

/**
 * A follower is told to catch up by a leader that then dies, and the next leader still holds the
 * follower's next entry in its log, so it never asks again. Ratis 3.3.0 would keep the follower
 * in "snapshot installation in progress" for good (and with one of three nodes down, no quorum
 * would commit anything); the orderer must restart that Raft node and carry on.
 */
class CatchUpAcrossLeaderChangeTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void when_the_leader_that_asked_for_a_catch_up_dies_then_the_follower_still_resumes() throws Exception {
    // Orderers 1 and 2 snapshot (and purge) every 10 entries; orderer 3 never purges.
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 10)
        .env(3, "ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES", "1000000")) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      int first = cluster.agreedLeader(CH);
      if (first != 1) {
        // A leader that has not committed its first entry yet refuses a transfer (LeaderNotReady): retry.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          cluster.orderer(first).chain(CH).orElseThrow().transferLeadership(1, Duration.ofSeconds(10));
          return true;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.agreedLeader(CH) == 1);
      }
      cluster.sendAll(CH, 1, 10);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.height(2, CH) == cluster.height(1, CH));
      long followerApplied = cluster.orderer(2).chain(CH).orElseThrow().cut().appliedIndex();
      cluster.stop(2);

      // The leader purges past the stopped follower's next entry; orderer 3 keeps it.
      for (int round = 0; round < 40 && cluster.orderer(1).chain(CH).orElseThrow().raftLogStartIndex() <= followerApplied + 1;
          round++) {
        cluster.sendAll(CH, 1, 25);
      }
      assertThat(cluster.orderer(1).chain(CH).orElseThrow().raftLogStartIndex()).isGreaterThan(followerApplied + 1);
      assertThat(cluster.orderer(3).chain(CH).orElseThrow().raftLogStartIndex()).isLessThanOrEqualTo(followerApplied + 1);

      // Restart the follower and kill the leader as soon as it has asked the follower to catch up.
      Thread restart = new Thread(() -> {
        try {
          cluster.start(2);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      restart.start();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> {
        Orderer follower = cluster.orderer(2);
        return follower != null && follower.chain(CH).orElseThrow().stateMachine().catchingUp();
      });
      cluster.kill(1);
      restart.join();

      // Committing needs both survivors (2 of 3), so this fails while the follower is stuck. Usually
      // orderer 3 leads now; the follower may lead instead if it caught up before the crash took
      // effect (it then campaigns first on the broken connection), which proves the same.
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      cluster.sendAll(CH, cluster.agreedLeader(CH), 10);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(2, CH)).isEqualTo(cluster.hashes(3, CH)));
    }
  }

}
