package io.raftswarm.orderer.broadcast;

import io.grpc.stub.StreamObserver;
import io.raftswarm.orderer.chain.BlockCutter;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.ops.OrdererMetrics;
import io.raftswarm.orderer.raft.DedupWindow;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Broadcast: validate, then let {@link ForwardingRules} order it here, forward it to the leader,
 * or (with no reachable leader past a short wait) refuse it with SERVICE_UNAVAILABLE. Responses per
 * stream keep the order of the envelopes; SUCCESS means the transaction's block is committed by a
 * Raft majority (stronger than Fabric, which acknowledges on enqueue), so an acknowledged
 * transaction is never lost.
 *
 * <p>Accepted: what Fabric's orderer accepts on an application channel (see {@link EnvelopeValidator}),
 * with or without a transaction id. Unlike Fabric, an envelope already ordered or in flight is
 * refused as a duplicate (BAD_REQUEST, info "duplicate transaction ..."), keyed by txId or, without
 * one, by the envelope's SHA-256 ({@link DedupWindow}); that is what makes client retries safe.
 */
public final class BroadcastHandler {
  private final EnvelopeValidator validator;
  private final ForwardingRules rules;
  private final OrdererMetrics metrics;
  private final LongSupplier nanoClock;

  public BroadcastHandler(EnvelopeValidator validator, ForwardingRules rules, OrdererMetrics metrics, LongSupplier nanoClock) {
    this.validator = validator;
    this.rules = rules;
    this.metrics = metrics;
    this.nanoClock = nanoClock;
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
    long start = nanoClock.getAsLong();
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
    metrics.broadcastValidateDuration.labelValues(chain.channelId(), type, "SUCCESS").observe((nanoClock.getAsLong() - start) / 1e9);
    // Serialized again only without a txId: the envelope's bytes are not kept from the wire.
    String key = checked.txId().isEmpty() ? DedupWindow.key("", envelope.toByteString()) : checked.txId();
    boolean configUpdate = checked.parsed().channelHeader().getType() == HeaderType.CONFIG_UPDATE_VALUE;
    CompletableFuture<BroadcastResponse> result = rules.route(chain, envelope, key, configUpdate, fromConsenter, start);
    return result.whenComplete((r, e) -> {
      String status = r == null ? "INTERNAL_SERVER_ERROR" : r.getStatus().name();
      metrics.broadcastProcessed.labelValues(chain.channelId(), type, status).inc();
      metrics.broadcastEnqueueDuration.labelValues(chain.channelId(), type, status).observe((nanoClock.getAsLong() - start) / 1e9);
    });
  }
}
