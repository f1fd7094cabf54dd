package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.chain.Chain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every orderer opens its Raft connections to the other consenters before any election needs
 * them, with pre-vote probes that disturb nothing: the leader and its term stay.
 */
class ElectionConnectionsTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void each_orderer_opens_its_election_connections_to_every_other_consenter_without_disturbing_the_leader()
      throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1024)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      long term = chain(cluster, leader).term();

      for (int id = 1; id <= 3; id++) {
        Chain chain = chain(cluster, id);
        await("orderer " + id + " has open Raft connections to the two others").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> chain.keepElectionConnectionsOpen().size() == 2);
      }
      // probe again, now that every connection is open: still nobody campaigns
      for (int round = 0; round < 3; round++) {
        for (int id = 1; id <= 3; id++) {
          chain(cluster, id).keepElectionConnectionsOpen();
        }
      }

      assertThat(cluster.agreedLeader(CH)).isEqualTo(leader);
      for (int id = 1; id <= 3; id++) {
        assertThat(chain(cluster, id).term()).as("orderer " + id + "'s term").isEqualTo(term);
      }
    }
  }

  private static Chain chain(TestCluster cluster, int id) {
    return cluster.orderer(id).chain(CH).orElseThrow();
  }
}
