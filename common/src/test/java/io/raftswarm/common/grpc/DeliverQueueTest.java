package io.raftswarm.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

class DeliverQueueTest {
  private final AtomicReference<StreamObserver<String>> responses = new AtomicReference<>();
  private final List<Envelope> sent = new ArrayList<>();
  private boolean halfClosed;

  /** Stands in for a stub's call: keeps the response observer, records what is sent. */
  private StreamObserver<Envelope> start(StreamObserver<String> observer) {
    responses.set(observer);
    return new StreamObserver<>() {
      @Override
      public void onNext(Envelope value) {
        sent.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        halfClosed = true;
      }
    };
  }

  @Test
  void sendsTheSeekAndHandsOutWhatArrivesInOrder() throws Exception {
    Envelope seek = Envelope.newBuilder().build();
    try (DeliverQueue<String> queue = DeliverQueue.open(this::start, seek)) {
      assertThat(sent).containsExactly(seek);
      responses.get().onNext("block 0");
      responses.get().onNext("block 1");
      responses.get().onCompleted();
      long deadline = System.nanoTime() + 1_000_000_000L;
      assertThat(queue.next(deadline)).contains(new DeliverQueue.Event.Response<>("block 0"));
      assertThat(queue.next(deadline)).contains(new DeliverQueue.Event.Response<>("block 1"));
      assertThat(queue.next(deadline)).contains(new DeliverQueue.Event.Ended<>());
    }
    assertThat(halfClosed).isTrue();
  }

  @Test
  void reportsTheErrorAndNothingAfterTheDeadline() throws Exception {
    try (DeliverQueue<String> queue = DeliverQueue.open(this::start, Envelope.newBuilder().build())) {
      assertThat(queue.next(System.nanoTime() + 20_000_000L)).isEmpty();
      IllegalStateException failure = new IllegalStateException("UNAVAILABLE");
      responses.get().onError(failure);
      assertThat(queue.next(System.nanoTime() + 1_000_000_000L)).contains(new DeliverQueue.Event.Failed<>(failure));
    }
  }
}
