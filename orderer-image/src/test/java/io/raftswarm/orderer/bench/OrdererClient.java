package io.raftswarm.orderer.bench;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.grpc.DeliverQueue;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    List<Block> blocks = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (DeliverQueue<DeliverResponse> queue = DeliverQueue.open(AtomicBroadcastGrpc.newStub(channel)::deliver, seekEnvelope)) {
      while (true) {
        DeliverQueue.Event<DeliverResponse> event = queue.next(deadline).orElseThrow(() -> new TimeoutException(
            "Deliver from " + endpoint + " gave no final status within " + timeoutSeconds + " s"));
        if (event instanceof DeliverQueue.Event.Failed<DeliverResponse> f) {
          throw new IllegalStateException("Deliver from " + endpoint + " failed: " + f.error().getMessage(), f.error());
        }
        if (event instanceof DeliverQueue.Event.Ended<DeliverResponse>) {
          throw new IllegalStateException("Deliver from " + endpoint + " ended without a status");
        }
        DeliverResponse r = ((DeliverQueue.Event.Response<DeliverResponse>) event).value();
        if (r.hasBlock()) {
          blocks.add(r.getBlock());
        } else {
          if (statusOut != null) {
            statusOut.add(r.getStatus());
          }
          return blocks;
        }
      }
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
