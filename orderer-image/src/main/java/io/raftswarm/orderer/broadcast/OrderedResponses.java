package io.raftswarm.orderer.broadcast;

import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Sends the results of one Broadcast stream in the order the envelopes arrived, although they
 * complete out of order (validation failures at once, ordered transactions when their block
 * commits). Thread-safe; the stream observer is only called under the lock.
 */
final class OrderedResponses {
  private final StreamObserver<BroadcastResponse> out;
  private final ArrayDeque<CompletableFuture<BroadcastResponse>> queue = new ArrayDeque<>();
  private boolean halfClosed;
  private boolean finished;

  OrderedResponses(StreamObserver<BroadcastResponse> out) {
    this.out = out;
  }

  void add(CompletableFuture<BroadcastResponse> result) {
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
        CompletableFuture<BroadcastResponse> head = queue.poll();
        BroadcastResponse response;
        try {
          response = head.join();
        } catch (RuntimeException e) {
          response = BroadcastResponse.newBuilder().setStatus(Status.INTERNAL_SERVER_ERROR)
              .setInfo("internal error: " + e.getMessage()).build();
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
