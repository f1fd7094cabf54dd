package io.raftswarm.orderer.broadcast;

import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Sends the results of one stream in the order the requests arrived, although they complete out
 * of order (validation failures at once, ordered transactions when their block commits): a
 * Broadcast stream's responses, or a forward stream's batch answers. Thread-safe; the stream
 * observer is only called under the lock.
 *
 * @param <T> the response message
 */
final class OrderedResponses<T> {
  private final StreamObserver<T> out;
  private final Function<Throwable, T> internalError;
  private final ArrayDeque<CompletableFuture<T>> queue = new ArrayDeque<>();
  private boolean halfClosed;
  private boolean finished;

  /** Broadcast responses; a result that failed unexpectedly is answered INTERNAL_SERVER_ERROR. */
  static OrderedResponses<BroadcastResponse> broadcast(StreamObserver<BroadcastResponse> out) {
    return new OrderedResponses<>(out, e -> BroadcastResponse.newBuilder().setStatus(Status.INTERNAL_SERVER_ERROR)
        .setInfo("internal error: " + e.getMessage()).build());
  }

  OrderedResponses(StreamObserver<T> out, Function<Throwable, T> internalError) {
    this.out = out;
    this.internalError = internalError;
  }

  void add(CompletableFuture<T> result) {
    synchronized (this) {
      queue.add(result);
    }
    result.whenComplete((r, e) -> drain());
  }

  /** The client finished sending: complete the stream once every response is out. */
  void halfClose() {
    synchronized (this) {
      halfClosed = true;
    }
    drain();
  }

  /** Sends {@code message} now, ahead of the results still pending (a notice, not a result). */
  synchronized void sendNow(T message) {
    if (finished) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      // The call was cancelled by the client meanwhile.
      finished = true;
      queue.clear();
    }
  }

  /** The stream failed or was cancelled: stop sending. */
  synchronized void cancel() {
    finished = true;
    queue.clear();
  }

  synchronized int pending() {
    return queue.size();
  }

  private synchronized void drain() {
    if (finished) {
      return;
    }
    try {
      while (!queue.isEmpty() && queue.peek().isDone()) {
        CompletableFuture<T> head = queue.poll();
        T response;
        try {
          response = head.join();
        } catch (RuntimeException e) {
          response = internalError.apply(e);
        }
        out.onNext(response);
      }
      if (halfClosed && queue.isEmpty()) {
        finished = true;
        out.onCompleted();
      }
    } catch (RuntimeException e) {
      // The call was cancelled by the client meanwhile.
      finished = true;
      queue.clear();
    }
  }
}
