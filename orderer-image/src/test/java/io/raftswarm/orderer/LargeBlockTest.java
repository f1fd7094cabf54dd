package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.raft.DedupWindow;
import io.raftswarm.orderer.raft.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block larger than one Raft entry (Ratis refuses entries larger than its log write buffer)
 * is ordered as fragments and written whole, identically, by every orderer; so is the small
 * block ordered right after it.
 */
class LargeBlockTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void when_a_block_is_larger_than_a_raft_entry_then_every_orderer_writes_it_whole() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1024)) {
      cluster.startAll();
      var cutter = cluster.leaderCutter(CH);
      long before = cluster.height(1, CH);
      Envelope large = cluster.tx(CH, 2 * RaftSettings.ENTRY_BYTES + 12345);
      Envelope small = cluster.tx(CH, 512);
      var largeResult = cutter.submit(large, DedupWindow.key(large.toByteString()));
      var smallResult = cutter.submit(small, DedupWindow.key(small.toByteString()));
      assertThat(largeResult.get(60, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.SUCCESS);
      assertThat(smallResult.get(60, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.SUCCESS);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (int id = 1; id <= 3; id++) {
          if (cluster.height(id, CH) < before + 2) {
            return false;
          }
        }
        return true;
      });
      for (int id = 1; id <= 3; id++) {
        var ledger = cluster.orderer(id).chain(CH).orElseThrow().ledger();
        assertThat(ledger.block(before).getData().getDataList()).containsExactly(large.toByteString());
        assertThat(ledger.block(before + 1).getData().getDataList()).containsExactly(small.toByteString());
        assertThat(ledger.lastHeaderHash()).isEqualTo(cluster.orderer(1).chain(CH).orElseThrow().ledger().lastHeaderHash());
      }
    }
  }
}
