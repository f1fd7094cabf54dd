package io.raftswarm.orderer.broadcast;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Forwards validated transactions from a follower to the channel's leader over long-lived,
 * pipelined Broadcast streams (one per channel and leader endpoint), authenticated with this
 * orderer's TLS certificate so the leader skips the signature check it knows we did. Answers
 * come back in order and are matched to the requests by position.
 *
 * <p>When the stream breaks or the leader changes away, every transaction still waiting gets
 * SERVICE_UNAVAILABLE (its outcome is unknown; the txId dedup makes a client retry safe).
 * Thread-safe.
 */
public final class LeaderForwarder implements Closeable {
  private static final long FORWARD_TIMEOUT_SECONDS = 10;

  private final TlsMaterial tls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, ForwardStream> streams = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public LeaderForwarder(TlsMaterial tls) {
    this.tls = tls;
  }

  public CompletableFuture<BroadcastResponse> forward(String channelId, String endpoint, Envelope envelope) {
    if (closed) {
      return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE, "orderer is shutting down"));
    }
    ForwardStream stream = streams.computeIfAbsent(channelId + "|" + endpoint, k -> new ForwardStream(endpoint));
    return stream.send(envelope);
  }

  /**
   * Connects ahead of need to the orderers that may become leader, so that the first forwards
   * after a leader change do not wait for a TCP connect and TLS handshake.
   */
  public void connectAhead(Collection<String> endpoints) {
    endpoints.forEach(this::prepare);
  }

  /**
   * Gets the connection to a (new) leader ready: connects if idle and retries at once if an
   * earlier attempt failed (a restarted orderer would otherwise wait out gRPC's reconnect backoff,
   * up to two minutes, while it is already the leader).
   */
  public void prepare(String endpoint) {
    if (closed) {
      return;
    }
    ManagedChannel channel = channel(endpoint);
    channel.resetConnectBackoff();
    channel.getState(true);
  }

  /**
   * False when the last connection attempt to {@code endpoint} failed (gRPC TRANSIENT_FAILURE): a
   * killed leader. Callers then wait for the next leader instead of answering SERVICE_UNAVAILABLE.
   */
  public boolean reachable(String endpoint) {
    ManagedChannel channel = channels.get(endpoint);
    return channel == null || channel.getState(false) != io.grpc.ConnectivityState.TRANSIENT_FAILURE;
  }

  /** Fails the transactions waiting at {@code endpoint} for {@code channelId} and closes that stream. */
  public void abandon(String channelId, String endpoint, String reason) {
    ForwardStream stream = streams.remove(channelId + "|" + endpoint);
    if (stream != null) {
      stream.fail(reason, true);
    }
  }

  @Override
  public void close() {
    closed = true;
    streams.values().forEach(s -> s.fail("orderer is shutting down", true));
    streams.clear();
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  private ManagedChannel channel(String endpoint) {
    return channels.computeIfAbsent(endpoint, e -> GrpcChannels.open(e, tls));
  }

  private final class ForwardStream {
    private final String endpoint;
    private final ArrayDeque<CompletableFuture<BroadcastResponse>> waiting = new ArrayDeque<>();
    private ClientCallStreamObserver<Envelope> requests;

    ForwardStream(String endpoint) {
      this.endpoint = endpoint;
    }

    CompletableFuture<BroadcastResponse> send(Envelope envelope) {
      CompletableFuture<BroadcastResponse> result = new CompletableFuture<>();
      synchronized (this) {
        if (requests == null) {
          open();
        }
        waiting.add(result);
        requests.onNext(envelope);
      }
      // A leader that vanished without closing the connection must not hang the client.
      return result.completeOnTimeout(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
          "no answer from the Raft leader " + endpoint + " within " + FORWARD_TIMEOUT_SECONDS + " s"),
          FORWARD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void open() {
      ClientResponseObserver<Envelope, BroadcastResponse> observer = new ClientResponseObserver<>() {
        private ClientCallStreamObserver<Envelope> mine;

        @Override
        public void beforeStart(ClientCallStreamObserver<Envelope> stream) {
          mine = stream;
        }

        @Override
        public void onNext(BroadcastResponse response) {
          CompletableFuture<BroadcastResponse> head;
          synchronized (ForwardStream.this) {
            head = waiting.poll();
          }
          if (head != null) {
            head.complete(response);
          }
        }

        @Override
        public void onError(Throwable t) {
          detach(mine, "lost the stream to the Raft leader " + endpoint + ": " + t.getMessage());
        }

        @Override
        public void onCompleted() {
          detach(mine, "the Raft leader " + endpoint + " closed the stream");
        }
      };
      // Opened from inside some client's Broadcast call: detach from that call's gRPC Context, or
      // the client hanging up would cancel this shared stream and fail everyone's forwards.
      Context previous = Context.ROOT.attach();
      try {
        requests = (ClientCallStreamObserver<Envelope>) AtomicBroadcastGrpc.newStub(channel(endpoint)).broadcast(observer);
      } finally {
        Context.ROOT.detach(previous);
      }
    }

    private void detach(ClientCallStreamObserver<Envelope> stream, String reason) {
      synchronized (this) {
        if (requests != stream) {
          return;
        }
      }
      fail(reason, false);
    }

    void fail(String reason, boolean cancel) {
      List<CompletableFuture<BroadcastResponse>> failed;
      synchronized (this) {
        failed = new ArrayList<>(waiting);
        waiting.clear();
        if (requests != null && cancel) {
          try {
            requests.cancel(reason, null);
          } catch (RuntimeException ignored) {
            // already closed
          }
        }
        requests = null;
      }
      BroadcastResponse response = BlockCutter.response(Status.SERVICE_UNAVAILABLE, reason);
      failed.forEach(f -> f.complete(response));
    }
  }
}
