package io.raftswarm.orderer.broadcast;

import io.grpc.stub.StreamObserver;
import io.raftswarm.orderer.chain.BlockCutter;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.ops.OrdererMetrics;
import io.raftswarm.orderer.raft.DedupWindow;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Broadcast: validate, then order on the leader or forward to it. Responses per stream keep the
 * order of the envelopes; SUCCESS means the transaction's block is committed by a Raft majority
 * (stronger than Fabric, which acknowledges on enqueue), so an acknowledged transaction is never
 * lost. With no leader the answer is SERVICE_UNAVAILABLE at once.
 *
 * <p>Accepted: what Fabric's orderer accepts on an application channel (see {@link EnvelopeValidator}),
 * with or without a transaction id. Unlike Fabric, an envelope already ordered or in flight is
 * refused as a duplicate (BAD_REQUEST, info "duplicate transaction ..."), keyed by txId or, without
 * one, by the envelope's SHA-256 ({@link DedupWindow}); that is what makes client retries safe.
 */
public final class BroadcastHandler {
  private final EnvelopeValidator validator;
  private final LeaderForwarder forwarder;
  private final OrdererMetrics metrics;
  private final long parkNanos;

  /**
   * @param park how long a transaction that arrives while the channel has no reachable leader
   *     waits for the next one (a few election timeouts), instead of being refused at once
   */
  public BroadcastHandler(EnvelopeValidator validator, LeaderForwarder forwarder, OrdererMetrics metrics,
      java.time.Duration park) {
    this.validator = validator;
    this.forwarder = forwarder;
    this.metrics = metrics;
    this.parkNanos = park.toNanos();
  }

  /** Opens one Broadcast stream for a caller authenticated by {@code clientCertificate}. */
  public StreamObserver<Envelope> open(StreamObserver<BroadcastResponse> out, X509Certificate clientCertificate) {
    OrderedResponses<BroadcastResponse> responses = OrderedResponses.broadcast(out);
    return new StreamObserver<>() {
      @Override
      public void onNext(Envelope envelope) {
        responses.add(process(envelope, clientCertificate));
      }

      @Override
      public void onError(Throwable t) {
        responses.cancel();
      }

      @Override
      public void onCompleted() {
        responses.halfClose();
      }
    };
  }

  CompletableFuture<BroadcastResponse> process(Envelope envelope, X509Certificate caller) {
    long start = System.nanoTime();
    EnvelopeValidator.Checked checked;
    Chain chain;
    boolean fromConsenter;
    String channel = "unknown";
    try {
      // Fabric answers BAD_REQUEST for a channel it does not have (there is no system channel to create it).
      EnvelopeValidator.Checked parsed = validator.parse(envelope, Status.BAD_REQUEST);
      chain = parsed.chain();
      channel = chain.channelId();
      // A consenter forwarding to us has validated the envelope already.
      fromConsenter = chain.isConsenter(caller);
      checked = validator.checkTransaction(parsed, envelope, !fromConsenter);
    } catch (Rejection r) {
      metrics.broadcastProcessed.labelValues(channel, "unknown", r.status().name()).inc();
      return CompletableFuture.completedFuture(BlockCutter.response(r.status(), r.getMessage()));
    }
    String type = checked.type();
    metrics.broadcastValidateDuration.labelValues(chain.channelId(), type, "SUCCESS").observe((System.nanoTime() - start) / 1e9);
    String key = DedupWindow.key(checked.txId(), envelope.toByteString());
    boolean configUpdate = checked.parsed().channelHeader().getType() == HeaderType.CONFIG_UPDATE_VALUE;
    CompletableFuture<BroadcastResponse> result = route(chain, envelope, key, configUpdate, fromConsenter, start + parkNanos);
    return result.whenComplete((r, e) -> {
      String status = r == null ? "INTERNAL_SERVER_ERROR" : r.getStatus().name();
      metrics.broadcastProcessed.labelValues(chain.channelId(), type, status).inc();
      metrics.broadcastEnqueueDuration.labelValues(chain.channelId(), type, status).observe((System.nanoTime() - start) / 1e9);
    });
  }

  /**
   * Orders on this leader or forwards to the leader. With no leader (election running) or an
   * unreachable one (killed), the transaction waits for the next leader change until
   * {@code deadline}: nothing was sent anywhere yet, so waiting is safe and spares the client a
   * SERVICE_UNAVAILABLE during a sub-second election.
   */
  private CompletableFuture<BroadcastResponse> route(Chain chain, Envelope envelope, String key, boolean configUpdate,
      boolean fromConsenter, long deadline) {
    if (chain.cutter().isLeader()) {
      // The leader validates a config update against the config in force when it is ordered.
      return configUpdate ? chain.submitConfigUpdate(envelope, key) : chain.cutter().submit(envelope, key);
    }
    CompletableFuture<Void> leaderChange = chain.nextLeaderChange();
    if (fromConsenter) {
      // A follower forwarded to us because it sees us as leader. Never forward again (no ping-pong
      // between stale views); but when Raft already made us leader and the cutter is just not
      // switched over yet (or an election runs), wait for it rather than refuse.
      boolean becomingLeader = chain.leaderId() == 0 || chain.leaderId() == chain.nodeId()
          || chain.role() == org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER;
      var newLeader = chain.leaderEndpoint();
      if (!becomingLeader && chain.handingOff() && newLeader.isPresent()) {
        // We handed leadership off on purpose (stopping): the sender's view is stale by our doing,
        // so pass the transaction on once instead of refusing it.
        return forwarder.forward(chain.channelId(), newLeader.get(), envelope);
      }
      if (!becomingLeader) {
        return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
            "orderer " + chain.nodeId() + " is not the Raft leader of channel " + chain.channelId() + " any more"));
      }
    } else {
      var endpoint = chain.leaderEndpoint();
      // A CANDIDATE has lost contact with its leader (leader dead, or we are cut off from the
      // majority): forwarding there would only hang; wait for a leader we can reach instead.
      boolean leaderInContact = chain.role() != org.apache.ratis.proto.RaftProtos.RaftPeerRole.CANDIDATE;
      if (endpoint.isPresent() && chain.leaderId() != chain.nodeId() && leaderInContact
          && forwarder.reachable(endpoint.get())) {
        return forwarder.forward(chain.channelId(), endpoint.get(), envelope);
      }
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
          "no reachable Raft leader for channel " + chain.channelId() + " right now (election in progress); retry shortly"));
    }
    // copy(): the timeout must not complete the chain's shared future.
    return leaderChange.copy()
        .completeOnTimeout(null, Math.min(left, 50_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS)
        .thenCompose(v -> route(chain, envelope, key, configUpdate, fromConsenter, deadline));
  }
}
