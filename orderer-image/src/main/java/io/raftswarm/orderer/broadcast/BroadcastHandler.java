package io.raftswarm.orderer.broadcast;

import io.grpc.stub.StreamObserver;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.ops.OrdererMetrics;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Broadcast: validate, then order on the leader or forward to it. Responses per stream keep the
 * order of the envelopes; SUCCESS means the transaction's block is committed by a Raft majority
 * (stronger than Fabric, which acknowledges on enqueue), so an acknowledged transaction is never
 * lost. With no leader the answer is SERVICE_UNAVAILABLE at once.
 */
public final class BroadcastHandler {
  private final EnvelopeValidator validator;
  private final LeaderForwarder forwarder;
  private final OrdererMetrics metrics;

  public BroadcastHandler(EnvelopeValidator validator, LeaderForwarder forwarder, OrdererMetrics metrics) {
    this.validator = validator;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  /** Opens one Broadcast stream for a caller authenticated by {@code clientCertificate}. */
  public StreamObserver<Envelope> open(StreamObserver<BroadcastResponse> out, X509Certificate clientCertificate) {
    OrderedResponses responses = new OrderedResponses(out);
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
    try {
      chain = validator.parse(envelope).chain();
      // A consenter forwarding to us has validated the envelope already.
      fromConsenter = chain.isConsenter(caller);
      checked = validator.checkTransaction(envelope, !fromConsenter);
    } catch (Rejection r) {
      String channel = "";
      try {
        channel = validator.parse(envelope).chain().channelId();
      } catch (Rejection ignored) {
        channel = "unknown";
      }
      metrics.broadcastProcessed.labelValues(channel, "unknown", r.status().name()).inc();
      return CompletableFuture.completedFuture(BlockCutter.response(r.status(), r.getMessage()));
    }
    String type = checked.type();
    metrics.broadcastValidateDuration.labelValues(chain.channelId(), type, "SUCCESS").observe((System.nanoTime() - start) / 1e9);
    CompletableFuture<BroadcastResponse> result;
    if (chain.cutter().isLeader()) {
      result = chain.cutter().submit(envelope, checked.txId());
    } else if (fromConsenter) {
      result = CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
          "orderer " + chain.nodeId() + " is not the Raft leader of channel " + chain.channelId() + " any more"));
    } else if (chain.leaderEndpoint().isPresent() && chain.leaderId() != chain.nodeId()) {
      result = forwarder.forward(chain.channelId(), chain.leaderEndpoint().get(), envelope);
    } else {
      result = CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
          "no Raft leader for channel " + chain.channelId() + " right now (election in progress); retry shortly"));
    }
    return result.whenComplete((r, e) -> {
      String status = r == null ? "INTERNAL_SERVER_ERROR" : r.getStatus().name();
      metrics.broadcastProcessed.labelValues(chain.channelId(), type, status).inc();
      metrics.broadcastEnqueueDuration.labelValues(chain.channelId(), type, status).observe((System.nanoTime() - start) / 1e9);
    });
  }
}
