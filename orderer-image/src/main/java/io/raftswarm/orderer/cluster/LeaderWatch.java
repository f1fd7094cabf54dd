package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices a dead Raft leader from its broken connection instead of only from its silence.
 *
 * <p>A follower holds one {@code LeaderWatch} stream (see {@link ClusterService}) per channel to
 * that channel's leader. When the leader's process dies (kill -9, crash, OOM) its kernel closes
 * the TCP connection and the stream fails at once, long before an election timeout runs out; the
 * {@link Listener} then lets Raft elect a successor right away. Silence alone (a frozen leader, a
 * partition) does not break the stream — those still take the election timeout, which can
 * therefore be long enough that JVM pauses and CPU starvation cause no spurious elections. A
 * stream the leader ends with OK (a graceful stop, after it handed leadership off) or one that
 * never opened (the leader was unreachable already) is not a death.
 */
public final class LeaderWatch implements AutoCloseable {
  /** Told when the watched leader of a channel broke its stream. */
  public interface Listener {
    void leaderLost(String channelId, String endpoint, Status status);
  }

  /** How long to wait before watching again after a stream could not open or ended cleanly. */
  private static final long RETRY_MILLIS = 1000;

  private final TlsMaterial tls;
  private final ScheduledExecutorService scheduler;
  private final Listener listener;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public LeaderWatch(TlsMaterial tls, ScheduledExecutorService scheduler, Listener listener) {
    this.tls = tls;
    this.scheduler = scheduler;
    this.listener = listener;
  }

  /**
   * Watches {@code leaderEndpoint} as the leader of {@code channelId}, or nothing when empty (this
   * node leads, or no leader is known); replaces the channel's previous watch.
   */
  public synchronized void watch(String channelId, Optional<String> leaderEndpoint) {
    Watch current = watches.get(channelId);
    if (current != null && leaderEndpoint.isPresent() && current.endpoint.equals(leaderEndpoint.get())) {
      return;
    }
    if (current != null) {
      watches.remove(channelId);
      current.cancel();
    }
    if (leaderEndpoint.isPresent() && !closed) {
      Watch next = new Watch(channelId, leaderEndpoint.get());
      watches.put(channelId, next);
      next.start();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    watches.values().forEach(Watch::cancel);
    watches.clear();
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  private synchronized void retry(Watch ended) {
    if (!closed && watches.get(ended.channelId) == ended) {
      Watch next = new Watch(ended.channelId, ended.endpoint);
      watches.put(ended.channelId, next);
      next.start();
    }
  }

  private final class Watch extends ClientCall.Listener<Struct> {
    final String channelId;
    final String endpoint;
    private ClientCall<Struct, Struct> call;
    volatile boolean established;
    private volatile boolean cancelled;

    Watch(String channelId, String endpoint) {
      this.channelId = channelId;
      this.endpoint = endpoint;
    }

    void start() {
      ManagedChannel channel = channels.computeIfAbsent(endpoint, e -> GrpcChannels.open(e, tls));
      call = channel.newCall(ClusterService.LEADER_WATCH, CallOptions.DEFAULT);
      call.start(this, new Metadata());
      call.sendMessage(Struct.newBuilder().putFields("channel", ClusterService.string(channelId)).build());
      call.halfClose();
      call.request(1);
    }

    void cancel() {
      cancelled = true;
      if (call != null) {
        call.cancel("no longer the leader this orderer follows", null);
      }
    }

    @Override
    public void onMessage(Struct hello) {
      established = true;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (cancelled || closed) {
        return;
      }
      if (established && !status.isOk()) {
        listener.leaderLost(channelId, endpoint, status);
      }
      // Watch again unless the leader changes meanwhile: if it was no death after all, the next
      // one must not go unnoticed.
      scheduler.schedule(() -> retry(this), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
