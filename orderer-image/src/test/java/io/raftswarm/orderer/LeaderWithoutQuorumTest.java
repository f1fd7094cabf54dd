package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.bench.OrdererClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that lost its majority while its clients keep sending steps down and stops taking
 * transactions (raft/CheckQuorum and the chain's reaction to Ratis' step-down). Five orderers,
 * three followers killed: the leader and one follower remain, and nobody can be elected, so
 * Ratis names no new leader; the chain must learn from the step-down itself that it no longer
 * leads, or its block cutter keeps cutting blocks for a leader that is gone.
 */
class LeaderWithoutQuorumTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void a_leader_cut_off_from_the_majority_under_load_stops_leading() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 5, List.of(CH), TestCluster.testBatch(), 1024)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(90)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      cluster.sendAll(CH, leader, 5);

      AtomicBoolean sending = new AtomicBoolean(true);
      Thread load = new Thread(() -> sendUntilStopped(cluster, leader, sending), "load");
      load.start();
      try {
        int kept = leader % 5 + 1;
        for (int id = 1; id <= 5; id++) {
          if (id != leader && id != kept) {
            cluster.kill(id);
          }
        }
        var chain = cluster.orderer(leader).chain(CH).orElseThrow();
        await("orderer " + leader + " stops leading without a majority").atMost(Duration.ofSeconds(30))
            .until(() -> chain.role() != RaftPeerRole.LEADER && !chain.cutter().isLeader() && chain.leaderId() != leader);
        // And answers new transactions with an error instead of cutting them into blocks.
        try (OrdererClient client = cluster.client(leader)) {
          List<BroadcastResponse> answers = client.broadcast(List.of(cluster.tx(CH, 1024)), 30);
          assertThat(answers).extracting(BroadcastResponse::getStatus).containsOnly(Status.SERVICE_UNAVAILABLE);
        }
      } finally {
        sending.set(false);
        load.join(30_000);
      }
    }
  }

  /** One transaction after another to {@code via}, whatever the answers, until told to stop. */
  private static void sendUntilStopped(TestCluster cluster, int via, AtomicBoolean sending) {
    try (OrdererClient client = cluster.client(via); var stream = client.broadcastStream()) {
      while (sending.get()) {
        stream.send(cluster.tx(CH, 1024));
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The stream may fail once the orderer stops leading; the load's job is done then.
    }
  }
}
