package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code LeaderWatch} streams other orderers hold to this one, so a graceful stop can end them cleanly. */
public final class OpenWatches {
  private final Set<ServerCallStreamObserver<Struct>> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  void open(ServerCallStreamObserver<Struct> stream, Struct hello) {
    if (closing) {
      stream.onCompleted();
      return;
    }
    open.add(stream);
    stream.setOnCancelHandler(() -> open.remove(stream));
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
