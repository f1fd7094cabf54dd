package io.raftswarm.common.grpc;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * A Deliver stream (the orderer's or the peer's) read like a queue: the caller takes the
 * responses, then the error or the end, in the order gRPC delivered them, each with a deadline.
 * Lets the reading code be a plain loop on the caller's thread instead of callbacks.
 *
 * @param <T> the stream's response type
 */
public final class DeliverQueue<T> implements AutoCloseable {
  /** What the stream delivered next. */
  public sealed interface Event<T> {
    record Response<T>(T value) implements Event<T> {}

    record Failed<T>(Throwable error) implements Event<T> {}

    record Ended<T>() implements Event<T> {}
  }

  private final BlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<Envelope> call;
  private StreamObserver<Envelope> requests;

  private DeliverQueue() {}

  /**
   * Opens the stream and sends the seek request.
   *
   * @param start the stub's call, e.g. {@code AtomicBroadcastGrpc.newStub(channel)::deliver}
   */
  public static <T> DeliverQueue<T> open(Function<StreamObserver<T>, StreamObserver<Envelope>> start, Envelope seek) {
    DeliverQueue<T> queue = new DeliverQueue<>();
    queue.requests = start.apply(new ClientResponseObserver<Envelope, T>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
        queue.call = requestStream;
      }

      @Override
      public void onNext(T value) {
        queue.events.add(new Event.Response<>(value));
      }

      @Override
      public void onError(Throwable t) {
        queue.events.add(new Event.Failed<>(t));
      }

      @Override
      public void onCompleted() {
        queue.events.add(new Event.Ended<>());
      }
    });
    queue.requests.onNext(seek);
    return queue;
  }

  /** The next event, or empty when none arrived before {@code deadlineNanos} ({@link System#nanoTime()}). */
  public Optional<Event<T>> next(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? Optional.ofNullable(events.poll()) : Optional.ofNullable(events.poll(left, TimeUnit.NANOSECONDS));
  }

  /** Half-closes the stream: nothing more to ask; answers in flight may still arrive. */
  @Override
  public void close() {
    try {
      requests.onCompleted();
    } catch (RuntimeException ignored) {
      // the stream already ended
    }
  }

  /** Ends the stream at once, e.g. an endless event stream once the awaited event came. */
  public void cancel() {
    ClientCallStreamObserver<Envelope> c = call;
    if (c != null) {
      c.cancel("done", null);
    }
  }
}
