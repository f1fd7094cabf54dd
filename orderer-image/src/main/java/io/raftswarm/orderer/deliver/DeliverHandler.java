package io.raftswarm.orderer.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.SeekPlan;
import io.raftswarm.orderer.broadcast.EnvelopeValidator;
import io.raftswarm.orderer.broadcast.Rejection;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.ops.OrdererMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliver as Fabric's orderer serves it (common/deliver/deliver.go): the checks in Fabric's
 * order — malformed envelope BAD_REQUEST, unknown channel NOT_FOUND, malformed SeekInfo
 * BAD_REQUEST, no Raft leader SERVICE_UNAVAILABLE (unless BEST_EFFORT), creator outside the
 * channel's orgs or bad signature FORBIDDEN — then the blocks of the {@link SeekPlan} (unsigned
 * block numbers, all start/stop kinds, BLOCK_UNTIL_READY / FAIL_IF_NOT_READY, HEADER_WITH_SIG)
 * and SUCCESS after the last one. Like Fabric, a stream ends after any status other than SUCCESS;
 * after SUCCESS it takes the next SeekInfo. Any envelope header type is accepted (Fabric does not
 * check it; clients send DELIVER_SEEK_INFO).
 *
 * <p>Threading: the requests of one stream are served one after the other on {@code executor};
 * the serving thread blocks there while it waits for blocks or for flow control.
 */
public final class DeliverHandler {
  private static final Logger LOG = LoggerFactory.getLogger("common.deliver");
  private static final long WAIT_SLICE_MILLIS = 500;

  private final EnvelopeValidator validator;
  private final ExecutorService executor;
  private final OrdererMetrics metrics;

  public DeliverHandler(EnvelopeValidator validator, ExecutorService executor, OrdererMetrics metrics) {
    this.validator = validator;
    this.executor = executor;
    this.metrics = metrics;
  }

  public StreamObserver<Envelope> open(StreamObserver<DeliverResponse> responseObserver) {
    ServerCallStreamObserver<DeliverResponse> out = (ServerCallStreamObserver<DeliverResponse>) responseObserver;
    Object ready = new Object();
    out.setOnReadyHandler(() -> {
      synchronized (ready) {
        ready.notifyAll();
      }
    });
    out.setOnCancelHandler(() -> {
      synchronized (ready) {
        ready.notifyAll();
      }
    });
    metrics.deliverStreams.inc();
    return new StreamObserver<>() {
      private CompletableFuture<Boolean> previous = CompletableFuture.completedFuture(true);

      @Override
      public synchronized void onNext(Envelope envelope) {
        // false = the stream was ended (error status or cancel): later requests are ignored.
        previous = previous.thenApplyAsync(open -> open && serve(envelope, out, ready), executor);
      }

      @Override
      public void onError(Throwable t) {
        metrics.deliverStreams.dec();
      }

      @Override
      public synchronized void onCompleted() {
        previous.whenComplete((open, e) -> {
          metrics.deliverStreams.dec();
          if (Boolean.TRUE.equals(open)) {
            complete(out);
          }
        });
      }
    };
  }

  /** Serves one SeekInfo; false when the stream is over (a final non-SUCCESS status, or cancelled). */
  private boolean serve(Envelope envelope, ServerCallStreamObserver<DeliverResponse> out, Object ready) {
    Status status;
    try {
      status = deliver(envelope, out, ready);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      if (out.isCancelled()) {
        return false;
      }
      LOG.warn("Deliver request failed: {}", e.toString());
      status = Status.INTERNAL_SERVER_ERROR;
    }
    if (status == null || !send(out, ready, DeliverResponse.newBuilder().setStatus(status).build())) {
      return false;
    }
    if (status != Status.SUCCESS) {
      complete(out);
      return false;
    }
    return true;
  }

  /** The checks, then the blocks; returns the final status, or null when the client went away. */
  private Status deliver(Envelope envelope, ServerCallStreamObserver<DeliverResponse> out, Object ready)
      throws InterruptedException {
    EnvelopeValidator.Checked checked;
    try {
      checked = validator.parse(envelope, Status.NOT_FOUND);
    } catch (Rejection r) {
      return refused(r.status(), r.getMessage());
    }
    Chain chain = checked.chain();
    SeekInfo seek;
    try {
      seek = SeekInfo.parseFrom(checked.parsed().payload().getData());
    } catch (InvalidProtocolBufferException e) {
      return refused(Status.BAD_REQUEST, "malformed SeekInfo: " + e.getMessage());
    }
    boolean strict = seek.getErrorResponse() != SeekInfo.SeekErrorResponse.BEST_EFFORT;
    if (strict && chain.consensusErrored()) {
      return refused(Status.SERVICE_UNAVAILABLE, "channel " + chain.channelId() + " has no Raft leader");
    }
    try {
      validator.verifySignature(checked, envelope);
    } catch (Rejection r) {
      return refused(r.status(), r.getMessage());
    }
    SeekPlan plan;
    try {
      plan = SeekPlan.resolve(seek, chain.ledger().height());
    } catch (SeekPlan.Refused r) {
      return refused(r.status(), "channel " + chain.channelId() + ": " + r.getMessage());
    }
    return stream(chain, plan, out, ready);
  }

  private static Status refused(Status status, String reason) {
    LOG.debug("Deliver request answered {}: {}", status, reason);
    return status;
  }

  /**
   * Sends the plan's blocks. The block number never exceeds the ledger height (the start is at
   * most the height, and it only moves past blocks that exist), so it stays a valid index.
   */
  private Status stream(Chain chain, SeekPlan plan, ServerCallStreamObserver<DeliverResponse> out, Object ready)
      throws InterruptedException {
    BlockStore ledger = chain.ledger();
    for (long n = plan.start(); ; n++) {
      if (plan.notReady(n, ledger.height())) {
        return refused(Status.NOT_FOUND, "block " + n + " of channel " + chain.channelId() + " is not written yet");
      }
      while (!ledger.awaitBlock(n, WAIT_SLICE_MILLIS)) {
        if (out.isCancelled()) {
          return null;
        }
        if (!plan.bestEffort() && chain.consensusErrored()) {
          // Fabric aborts a waiting STRICT stream when the consenter reports an error.
          return refused(Status.SERVICE_UNAVAILABLE, "channel " + chain.channelId() + " lost its Raft leader");
        }
      }
      if (!send(out, ready, DeliverResponse.newBuilder().setBlock(plan.shape(ledger.block(n))).build())) {
        return null;
      }
      metrics.deliverBlocksSent.labelValues(chain.channelId()).inc();
      if (plan.isLast(n)) {
        return Status.SUCCESS;
      }
    }
  }

  private static void complete(ServerCallStreamObserver<DeliverResponse> out) {
    try {
      synchronized (out) {
        out.onCompleted();
      }
    } catch (RuntimeException ignored) {
      // cancelled meanwhile
    }
  }

  /** Waits for flow control, then sends; false when the stream is cancelled. */
  private static boolean send(ServerCallStreamObserver<DeliverResponse> out, Object ready, DeliverResponse response) {
    synchronized (ready) {
      while (!out.isReady()) {
        if (out.isCancelled()) {
          return false;
        }
        try {
          ready.wait(WAIT_SLICE_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    if (out.isCancelled()) {
      return false;
    }
    synchronized (out) {
      out.onNext(response);
    }
    return true;
  }
}
