package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.raft.HeartbeatChannels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every orderer opens its Raft connections to the other consenters before any election needs
 * them, with pre-vote probes that disturb nothing: the leader and its term stay. That includes
 * Ratis' separate heartbeat channel, which a follower never uses until it leads, and which a new
 * leader's log appender waits for before it sends its first entry.
 */
class ElectionConnectionsTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void each_orderer_opens_its_election_and_heartbeat_connections_to_every_other_consenter_without_disturbing_the_leader()
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

      // the followers' heartbeat channels are connected too, though they never sent a heartbeat
      for (int id = 1; id <= 3; id++) {
        RaftServer server = cluster.orderer(id).raftServer();
        List<RaftPeerId> others = server.getGroups().iterator().next().getPeers().stream()
            .map(RaftPeer::getId).filter(p -> !p.equals(server.getId())).toList();
        assertThat(others).hasSize(2);
        for (RaftPeerId peer : others) {
          assertThat(HeartbeatChannels.connect(server, peer)).as("orderer %d's heartbeat channel to %s", id, peer)
              .isEqualTo(HeartbeatChannels.State.READY);
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
