package io.raftswarm.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class PeerMetricsTest {
  @Test
  void fabric_counter_names_are_exported_without_a_total_suffix() throws Exception {
    PeerMetrics metrics = new PeerMetrics();
    metrics.proposalReceived();
    metrics.committed("mychannel", Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(4)).build(),
        List.of(TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("endorser_proposals_received 1.0", "ledger_blockchain_height{channel=\"mychannel\"} 5.0",
        "ledger_transaction_count{channel=\"mychannel\",validation_code=\"VALID\"} 2.0",
        "ledger_transaction_count{channel=\"mychannel\",validation_code=\"MVCC_READ_CONFLICT\"} 1.0");
    assertThat(text).doesNotContain("_total");
  }
}
