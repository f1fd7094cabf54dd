package io.raftswarm.peer.ops;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.raftswarm.peer.channel.ChannelLedger;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The peer's Prometheus metrics, with Fabric's names where Fabric has one. Fabric's counters are
 * monotonic gauges here, so their names carry no {@code _total} (client_java appends it to
 * counters) and Fabric's dashboards find them. Thread-safe.
 */
public final class PeerMetrics implements ChannelLedger.CommitListener {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge height = Gauge.builder().name("ledger_blockchain_height")
      .help("Height of the chain in blocks").labelNames("channel").register(registry);
  private final Gauge transactions = Gauge.builder().name("ledger_transaction_count")
      .help("Number of transactions processed").labelNames("channel", "validation_code").register(registry);
  private final Gauge proposals = Gauge.builder().name("endorser_proposals_received")
      .help("The number of proposals received").register(registry);
  private final Gauge successful = Gauge.builder().name("endorser_successful_proposals")
      .help("The number of successful proposals").register(registry);
  private final Gauge failed = Gauge.builder().name("endorser_proposal_failures")
      .help("The number of proposals answered with an error status").register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  public void channelHeight(String channel, long blocks) {
    height.labelValues(channel).set(blocks);
  }

  @Override
  public void committed(String channelId, Block block, List<TxValidationCode> codes) {
    height.labelValues(channelId).set(block.getHeader().getNumber() + 1);
    for (TxValidationCode code : codes) {
      transactions.labelValues(channelId, code.name()).inc();
    }
  }

  public void proposalReceived() {
    proposals.inc();
  }

  public void proposalAnswered(ProposalResponse response) {
    if (response.getResponse().getStatus() < 400) {
      successful.inc();
    } else {
      failed.inc();
    }
  }
}
