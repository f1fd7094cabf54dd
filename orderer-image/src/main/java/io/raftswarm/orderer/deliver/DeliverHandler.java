package io.raftswarm.orderer.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftswarm.orderer.broadcast.EnvelopeValidator;
import io.raftswarm.orderer.broadcast.Rejection;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.ops.OrdererMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * Deliver with Fabric's SeekInfo semantics: start/stop at oldest, newest or a specified number;
 * BLOCK_UNTIL_READY waits for blocks not yet written, FAIL_IF_NOT_READY answers NOT_FOUND; a
 * bounded seek ends with SUCCESS; an unknown channel is NOT_FOUND, a creator outside the
 * channel's orgs FORBIDDEN. Seek requests of one stream are served one after the other on
 * {@code executor} (the caller blocks there while waiting for blocks or for flow control).
 */
public final class DeliverHandler {
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
      private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

      @Override
      public synchronized void onNext(Envelope envelope) {
        previous = previous.thenRunAsync(() -> serve(envelope, out, ready), executor);
      }

      @Override
      public void onError(Throwable t) {
        metrics.deliverStreams.dec();
      }

      @Override
      public synchronized void onCompleted() {
        previous.whenComplete((v, e) -> {
          metrics.deliverStreams.dec();
          try {
            out.onCompleted();
          } catch (RuntimeException ignored) {
            // cancelled meanwhile
          }
        });
      }
    };
  }

  private void serve(Envelope envelope, ServerCallStreamObserver<DeliverResponse> out, Object ready) {
    try {
      EnvelopeValidator.Checked checked = validator.parse(envelope);
      if (checked.parsed().channelHeader().getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
        throw new Rejection(Status.BAD_REQUEST, "Deliver expects a DELIVER_SEEK_INFO envelope, got header type "
            + checked.parsed().channelHeader().getType());
      }
      validator.verifySignature(checked, envelope);
      SeekInfo seek;
      try {
        seek = SeekInfo.parseFrom(checked.parsed().payload().getData());
      } catch (InvalidProtocolBufferException e) {
        throw new Rejection(Status.BAD_REQUEST, "malformed SeekInfo: " + e.getMessage());
      }
      Status status = stream(checked.chain(), seek, out, ready);
      if (status != null) {
        send(out, ready, DeliverResponse.newBuilder().setStatus(status).build());
      }
    } catch (Rejection r) {
      send(out, ready, DeliverResponse.newBuilder().setStatus(r.status()).build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The client went away (cancelled stream) or the orderer is stopping.
    }
  }

  /** Sends the requested blocks; returns the final status, or null when the stream was cancelled. */
  private Status stream(Chain chain, SeekInfo seek, ServerCallStreamObserver<DeliverResponse> out, Object ready)
      throws Rejection, InterruptedException {
    BlockStore ledger = chain.ledger();
    long height = ledger.height();
    long start = position(seek.getStart(), height, true);
    long stop = position(seek.getStop(), height, false);
    if (start > stop) {
      throw new Rejection(Status.BAD_REQUEST, "seek start " + start + " is after stop " + stop);
    }
    boolean failIfNotReady = seek.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY;
    boolean headersOnly = seek.getContentType() == SeekInfo.SeekContentType.HEADER_WITH_SIG;
    for (long n = start; n <= stop; n++) {
      while (!ledger.awaitBlock(n, failIfNotReady ? 0 : WAIT_SLICE_MILLIS)) {
        if (failIfNotReady) {
          return Status.NOT_FOUND;
        }
        if (out.isCancelled()) {
          return null;
        }
      }
      Block block = ledger.block(n);
      if (headersOnly) {
        block = block.toBuilder().setData(BlockData.getDefaultInstance()).build();
      }
      if (!send(out, ready, DeliverResponse.newBuilder().setBlock(block).build())) {
        return null;
      }
      metrics.deliverBlocksSent.labelValues(chain.channelId()).inc();
    }
    return Status.SUCCESS;
  }

  private static long position(SeekPosition position, long height, boolean isStart) throws Rejection {
    return switch (position.getTypeCase()) {
      case OLDEST -> 0;
      case NEWEST -> Math.max(0, height - 1);
      case SPECIFIED -> position.getSpecified().getNumber();
      case NEXT_COMMIT -> height;
      case TYPE_NOT_SET -> {
        if (isStart) {
          throw new Rejection(Status.BAD_REQUEST, "seek start position is not set");
        }
        throw new Rejection(Status.BAD_REQUEST, "seek stop position is not set");
      }
    };
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
