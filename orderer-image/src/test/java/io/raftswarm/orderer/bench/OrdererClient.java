package io.raftswarm.orderer.bench;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * A small AtomicBroadcast client for tests and the benchmark: a pipelined Broadcast stream
 * (responses matched to envelopes by order) and a blocking Deliver. Test sources only: it is not
 * part of the image.
 */
public final class OrdererClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final String endpoint;

  public OrdererClient(String endpoint, TlsMaterial tls) {
    this.endpoint = endpoint;
    this.channel = GrpcChannels.open(endpoint, tls);
  }

  public String endpoint() {
    return endpoint;
  }

  /** Opens a pipelined Broadcast stream. */
  public BroadcastStream broadcastStream() {
    return new BroadcastStream(channel);
  }

  /** Sends envelopes on one stream and waits for all responses (in order). */
  public List<BroadcastResponse> broadcast(List<Envelope> envelopes, long timeoutSeconds) throws Exception {
    try (BroadcastStream stream = broadcastStream()) {
      List<CompletableFuture<BroadcastResponse>> results = new ArrayList<>();
      envelopes.forEach(e -> results.add(stream.send(e)));
      List<BroadcastResponse> out = new ArrayList<>();
      for (CompletableFuture<BroadcastResponse> f : results) {
        out.add(f.get(timeoutSeconds, TimeUnit.SECONDS));
      }
      return out;
    }
  }

  /**
   * Delivers the given seek envelope and collects blocks until the final status.
   *
   * @return the blocks; the status is the last element of {@code statusOut} when given
   */
  public List<Block> deliver(Envelope seekEnvelope, long timeoutSeconds, List<Status> statusOut) throws Exception {
    LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(channel).deliver(new StreamObserver<>() {
      @Override
      public void onNext(DeliverResponse r) {
        queue.add(r);
      }

      @Override
      public void onError(Throwable t) {
        queue.add(t);
      }

      @Override
      public void onCompleted() {
        queue.add(Boolean.TRUE);
      }
    });
    requests.onNext(seekEnvelope);
    List<Block> blocks = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      while (true) {
        Object item = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (item == null) {
          throw new TimeoutException("Deliver from " + endpoint + " gave no final status within " + timeoutSeconds + " s");
        }
        if (item instanceof Throwable t) {
          throw new IllegalStateException("Deliver from " + endpoint + " failed: " + t.getMessage(), t);
        }
        if (item instanceof Boolean) {
          throw new IllegalStateException("Deliver from " + endpoint + " ended without a status");
        }
        DeliverResponse r = (DeliverResponse) item;
        if (r.hasBlock()) {
          blocks.add(r.getBlock());
        } else {
          if (statusOut != null) {
            statusOut.add(r.getStatus());
          }
          return blocks;
        }
      }
    } finally {
      requests.onCompleted();
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  /** One Broadcast stream; {@link #send} may be called from one thread at a time. */
  public static final class BroadcastStream implements AutoCloseable {
    private final ArrayDeque<CompletableFuture<BroadcastResponse>> waiting = new ArrayDeque<>();
    private final StreamObserver<Envelope> requests;

    BroadcastStream(ManagedChannel channel) {
      requests = AtomicBroadcastGrpc.newStub(channel).broadcast(new StreamObserver<>() {
        @Override
        public void onNext(BroadcastResponse r) {
          CompletableFuture<BroadcastResponse> head;
          synchronized (waiting) {
            head = waiting.poll();
          }
          if (head != null) {
            head.complete(r);
          }
        }

        @Override
        public void onError(Throwable t) {
          failAll(t);
        }

        @Override
        public void onCompleted() {
          failAll(new IllegalStateException("Broadcast stream closed by the orderer"));
        }
      });
    }

    private void failAll(Throwable t) {
      List<CompletableFuture<BroadcastResponse>> failed;
      synchronized (waiting) {
        failed = new ArrayList<>(waiting);
        waiting.clear();
      }
      failed.forEach(f -> f.completeExceptionally(t));
    }

    public CompletableFuture<BroadcastResponse> send(Envelope envelope) {
      CompletableFuture<BroadcastResponse> f = new CompletableFuture<>();
      synchronized (waiting) {
        waiting.add(f);
        requests.onNext(envelope);
      }
      return f;
    }

    @Override
    public void close() {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream failed already
      }
    }
  }
}
