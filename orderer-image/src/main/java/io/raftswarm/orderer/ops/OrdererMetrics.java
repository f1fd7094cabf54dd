package io.raftswarm.orderer.ops;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The orderer's Prometheus metrics, named as Fabric's orderer names them (etcdraft, broadcast,
 * deliver, ledger), labelled by channel. One registry per orderer, so several orderers can run
 * in one JVM (tests).
 *
 * <p>Fabric's counters (leader changes, proposal failures, broadcast/deliver counts) are exported
 * as monotonic gauges: client_java appends {@code _total} to every counter's name, and Fabric's
 * dashboards query {@code consensus_etcdraft_leader_changes}, not {@code …_leader_changes_total}.
 */
public final class OrdererMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  public final Gauge isLeader = Gauge.builder().name("consensus_etcdraft_is_leader")
      .help("The leadership status of the current node: 1 if it is the leader else 0.").labelNames("channel").register(registry);
  public final Gauge committedBlockNumber = Gauge.builder().name("consensus_etcdraft_committed_block_number")
      .help("The block number of the latest block committed.").labelNames("channel").register(registry);
  public final Gauge snapshotBlockNumber = Gauge.builder().name("consensus_etcdraft_snapshot_block_number")
      .help("The block number of the latest snapshot.").labelNames("channel").register(registry);
  public final Gauge leaderChanges = Gauge.builder().name("consensus_etcdraft_leader_changes")
      .help("The number of leader changes since process start.").labelNames("channel").register(registry);
  public final Gauge clusterSize = Gauge.builder().name("consensus_etcdraft_cluster_size")
      .help("Number of nodes in this channel.").labelNames("channel").register(registry);
  public final Gauge activeNodes = Gauge.builder().name("consensus_etcdraft_active_nodes")
      .help("Number of active nodes in this channel (as seen by the leader; 0 on followers).").labelNames("channel")
      .register(registry);
  public final Gauge proposalFailures = Gauge.builder().name("consensus_etcdraft_proposal_failures")
      .help("The number of proposal failures.").labelNames("channel").register(registry);
  /** Not in Fabric: restarts of a Raft node that a finished catch-up left waiting (see Chain). */
  public final Gauge raftNodeRestarts = Gauge.builder().name("consensus_raft_node_restarts")
      .help("Raft node restarts by the orderer's watchdogs: after a catch-up that Raft never resumed, or a Raft log that stopped taking entries.").labelNames("channel").register(registry);
  /** Not in Fabric: elections this node started because its leader's connection broke (see LeaderWatch). */
  public final Gauge leaderLossElections = Gauge.builder().name("consensus_raft_leader_loss_elections")
      .help("Elections this node started at once because the leader's connection broke (its process died).")
      .labelNames("channel").register(registry);
  public final Histogram dataPersistDuration = Histogram.builder().name("consensus_etcdraft_data_persist_duration")
      .help("The time taken for etcd/raft data to be persisted in storage (in seconds).")
      .labelNames("channel").register(registry);
  public final Gauge term = Gauge.builder().name("consensus_etcdraft_term")
      .help("The current Raft term of this node.").labelNames("channel").register(registry);
  public final Gauge broadcastProcessed = Gauge.builder().name("broadcast_processed_count")
      .help("The number of transactions processed.").labelNames("channel", "type", "status").register(registry);
  public final Histogram broadcastValidateDuration = Histogram.builder().name("broadcast_validate_duration")
      .help("The time to validate a transaction (in seconds).").labelNames("channel", "type", "status").register(registry);
  public final Histogram broadcastEnqueueDuration = Histogram.builder().name("broadcast_enqueue_duration")
      .help("The time from receipt to the ordering result of a transaction (in seconds).")
      .labelNames("channel", "type", "status").register(registry);
  public final Gauge deliverBlocksSent = Gauge.builder().name("deliver_blocks_sent")
      .help("The number of blocks sent by the deliver service.").labelNames("channel").register(registry);
  public final Gauge deliverStreams = Gauge.builder().name("deliver_streams_open")
      .help("The number of open Deliver streams.").register(registry);
  public final Gauge ledgerHeight = Gauge.builder().name("ledger_blockchain_height")
      .help("Height of the chain in blocks.").labelNames("channel").register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }
}
