package io.raftswarm.orderer.cluster;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.raftswarm.orderer.ledger.BlockStore;

/**
 * Sends blocks {@code from..to} of a ledger as stored frames on one {@code PullBlocks} response
 * stream, as fast as the receiver reads them: gRPC calls {@link #run} whenever the stream can
 * take more, and it writes until the stream is full again. Never blocks a gRPC thread.
 */
final class FrameStream implements Runnable {
  /** About this much per message: large enough that per-message costs vanish, small enough to pipeline. */
  static final int MESSAGE_BYTES = 256 * 1024;

  private final BlockStore ledger;
  private final long to;
  private final ServerCallStreamObserver<byte[]> out;
  private long next;
  private boolean done;

  FrameStream(BlockStore ledger, long from, long to, ServerCallStreamObserver<byte[]> out) {
    this.ledger = ledger;
    this.next = from;
    this.to = to;
    this.out = out;
  }

  void start() {
    out.setOnReadyHandler(this);
    out.setOnCancelHandler(() -> {});
    run();
  }

  @Override
  public synchronized void run() {
    try {
      while (!done && !out.isCancelled() && out.isReady()) {
        BlockStore.Frames frames = ledger.readFrames(next, to, MESSAGE_BYTES);
        out.onNext(frames.bytes());
        next += frames.count();
        if (next > to) {
          done = true;
          out.onCompleted();
        }
      }
    } catch (RuntimeException e) {
      done = true;
      try {
        out.onError(Status.INTERNAL.withDescription("cannot read block " + next + ": " + e.getMessage()).asRuntimeException());
      } catch (RuntimeException closed) {
        // cancelled meanwhile: nobody to tell
      }
    }
  }
}
