package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.orderer.raft.DedupWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What follows a committed proposal (answering its clients, proposing the next batches) runs on
 * the chain's own outcomes thread, never on the Ratis thread that completed the proposal: Ratis
 * also completes proposals from inside log truncation, holding the log's locks.
 */
class ProposalOutcomeThreadTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void when_a_proposal_commits_then_its_clients_are_answered_on_the_chains_outcomes_thread() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1024)) {
      cluster.startAll();
      var cutter = cluster.leaderCutter(CH);
      List<CompletableFuture<String>> threads = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Envelope tx = cluster.tx(CH, 512);
        // Registered before the batch timeout (200 ms) cuts the block, so it runs where the answer is given.
        threads.add(cutter.submit(tx, DedupWindow.key(tx.toByteString()))
            .thenApply(r -> r.getStatus() == Status.SUCCESS ? Thread.currentThread().getName() : r.getStatus() + " " + r.getInfo()));
      }
      List<String> names = new ArrayList<>();
      for (CompletableFuture<String> f : threads) {
        names.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(names).allMatch(n -> n.equals("chain-" + CH + "-outcomes"), "answered on the chain's outcomes thread");
    }
  }
}
