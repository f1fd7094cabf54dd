package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code LeaderLink} and {@code LeaderWatch} streams other orderers hold to this one, so a graceful stop can end them cleanly. */
public final class OpenWatches {
  private final Set<ServerCallStreamObserver<Struct>> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  /**
   * Takes a new stream's cancellation from gRPC: it accepts the handler only before the service
   * method returns, which for a bidirectional stream is before its first message.
   */
  void accept(ServerCallStreamObserver<Struct> stream) {
    stream.setOnCancelHandler(() -> open.remove(stream));
  }

  /** Answers an {@link #accept accepted} stream with {@code hello} and keeps it until {@link #completeAll}. */
  void open(ServerCallStreamObserver<Struct> stream, Struct hello) {
    if (closing) {
      stream.onCompleted();
      return;
    }
    open.add(stream);
    if (stream.isCancelled()) {
      open.remove(stream); // cancelled before it was added: its handler found nothing to remove
      return;
    }
    synchronized (stream) {
      stream.onNext(hello);
    }
  }

  /**
   * Ends every stream with OK: this orderer stops on purpose (after handing off leadership), so
   * the watchers must not start an election because their stream broke.
   */
  public void completeAll() {
    closing = true;
    for (ServerCallStreamObserver<Struct> stream : open) {
      open.remove(stream);
      synchronized (stream) {
        try {
          stream.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
          // the watcher went away meanwhile
        }
      }
    }
  }
}
