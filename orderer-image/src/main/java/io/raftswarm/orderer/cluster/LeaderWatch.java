package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollChannelOption;
import io.grpc.netty.shaded.io.netty.channel.unix.Errors;
import io.grpc.netty.shaded.io.netty.channel.unix.IntegerUnixChannelOption;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a dead or cut-off Raft leader from its connection instead of only from its silence.
 *
 * <p>A follower holds one {@code LeaderLink} stream (see {@link ClusterService}) per channel to
 * that channel's leader and sends an empty message on it every {@link #PING}. Two things then
 * break the stream long before an election timeout runs out, and the {@link Listener} hears which:
 * <ul>
 *   <li>{@link Break#CLOSED}: the leader's process died (kill -9, crash, OOM) and its kernel closed
 *   the TCP connection.
 *   <li>{@link Break#UNACKNOWLEDGED}: the leader's host stopped acknowledging what this follower
 *   sends for the given limit (the kernel's {@code TCP_USER_TIMEOUT}): its outgoing
 *   traffic is dropped, its host or link is down, or the network between is cut. A kernel
 *   acknowledges for a process that is paused or starved of CPU, so a frozen JVM, a long GC or a
 *   saturated leader never causes this; a network slower than the limit does, which is why the
 *   listener must also see the leader silent in Raft before it acts on it.
 * </ul>
 * A frozen leader (docker pause) breaks nothing and still takes the election timeout, which can
 * therefore stay long enough that JVM pauses and CPU starvation cause no spurious elections. A
 * stream the leader ends with OK (a graceful stop, after it handed leadership off) or one that
 * never opened (the leader was unreachable already) is no loss. An orderer built before
 * {@code LeaderLink} answers it UNIMPLEMENTED; that one is watched with {@code LeaderWatch}, which
 * notices only a closed connection.
 */
public final class LeaderWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);

  /** How the stream to a leader broke. */
  public enum Break {
    /** The connection was closed or reset: the leader's process is gone. */
    CLOSED,
    /** Nothing this follower sent was acknowledged for the limit. */
    UNACKNOWLEDGED
  }

  /** Told when the watched leader of a channel broke its stream. */
  public interface Listener {
    void leaderLost(String channelId, String endpoint, Status status, Break how);
  }

  /** How often the follower sends on the link, so that there is always something to acknowledge. */
  static final Duration PING = Duration.ofMillis(100);
  /**
   * The link's minimum retransmission timeout. The kernel checks the user timeout only when it
   * retransmits, which with Linux's default 200 ms minimum (and the tail-loss probe before it)
   * puts the break ~0.55 s after the limit; with 20 ms, ~0.15 s (measured between two network
   * namespaces, docs/BENCHMARKS.md). A retransmission sent too early on a loaded host costs a
   * few bytes; the user timeout still needs the limit to pass without any acknowledgement.
   */
  static final Duration RTO_MIN = Duration.ofMillis(20);
  /**
   * Linux's {@code TCP_RTO_MIN_US} (6.15 and later); on an older kernel Netty logs that it could
   * not set it, and the link breaks ~0.4 s later.
   */
  private static final IntegerUnixChannelOption RTO_MIN_US = new IntegerUnixChannelOption("TCP_RTO_MIN_US", 6, 45);
  /** Linux's errno for a connection the kernel timed out. */
  private static final int ETIMEDOUT = 110;
  /** How long to wait before watching again after a stream could not open or ended cleanly. */
  private static final long RETRY_MILLIS = 1000;
  private static final Struct PING_MESSAGE = Struct.getDefaultInstance();

  private final TlsMaterial tls;
  private final Duration unacknowledgedLimit;
  private final ScheduledExecutorService scheduler;
  private final Listener listener;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  /** Leaders that answered LeaderLink UNIMPLEMENTED (built before it): watched with LeaderWatch. */
  private final Set<String> linkless = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param unacknowledgedLimit how long what this follower sent may stay unacknowledged before its
   *     kernel drops the connection: well above the network's round trips, well below the election
   *     timeout it is meant to beat
   */
  public LeaderWatch(TlsMaterial tls, Duration unacknowledgedLimit, ScheduledExecutorService scheduler, Listener listener) {
    this.tls = tls;
    this.unacknowledgedLimit = unacknowledgedLimit;
    this.scheduler = scheduler;
    this.listener = listener;
    if (!Epoll.isAvailable()) {
      LOG.warn("The native epoll transport is unavailable ({}): a leader whose host stops answering is noticed only"
          + " by the election timeout", Epoll.unavailabilityCause() == null ? "unknown" : Epoll.unavailabilityCause().toString());
    }
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

  /** Whether {@code status} says the kernel gave up on unacknowledged data (TCP_USER_TIMEOUT). */
  static boolean unacknowledged(Status status) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof Errors.NativeIoException e && e.expectedErr() == -ETIMEDOUT) {
        return true;
      }
    }
    return false;
  }

  private ManagedChannel channel(String endpoint) {
    // A connection of its own per leader, so these settings apply to nothing but the pings.
    return channels.computeIfAbsent(endpoint, e -> GrpcChannels.builder(e, tls)
        // gRPC's keepalive would set its own TCP_USER_TIMEOUT (its 20 s ping timeout) after ours,
        // and the pings keep the connection busy anyway
        .keepAliveTime(Long.MAX_VALUE, TimeUnit.NANOSECONDS)
        .withOption(EpollChannelOption.TCP_USER_TIMEOUT, (int) unacknowledgedLimit.toMillis())
        .withOption(RTO_MIN_US, (int) RTO_MIN.toNanos() / 1000)
        .build());
  }

  private synchronized void retry(Watch ended, long delayMillis) {
    scheduler.schedule(() -> {
      synchronized (this) {
        if (!closed && watches.get(ended.channelId) == ended) {
          Watch next = new Watch(ended.channelId, ended.endpoint);
          watches.put(ended.channelId, next);
          next.start();
        }
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  private final class Watch extends ClientCall.Listener<Struct> {
    final String channelId;
    final String endpoint;
    private final boolean link;
    private ClientCall<Struct, Struct> call;
    private ScheduledFuture<?> pings;
    private volatile boolean established;
    private volatile boolean cancelled;

    Watch(String channelId, String endpoint) {
      this.channelId = channelId;
      this.endpoint = endpoint;
      this.link = !linkless.contains(endpoint);
    }

    // ClientCall is not thread-safe: start, pings and cancel hold this Watch's lock.
    synchronized void start() {
      MethodDescriptor<Struct, Struct> method = link ? ClusterService.LEADER_LINK : ClusterService.LEADER_WATCH;
      call = channel(endpoint).newCall(method, CallOptions.DEFAULT);
      call.start(this, new Metadata());
      call.sendMessage(Struct.newBuilder().putFields("channel", ClusterService.string(channelId)).build());
      if (!link) {
        call.halfClose();
      }
      call.request(1);
    }

    synchronized void cancel() {
      cancelled = true;
      stopPings();
      if (call != null) {
        call.cancel("no longer the leader this orderer follows", null);
      }
    }

    private synchronized void ping() {
      // Skipped while flow control holds earlier pings back: they are what awaits acknowledgement.
      if (!cancelled && call.isReady()) {
        call.sendMessage(PING_MESSAGE);
      }
    }

    private synchronized void stopPings() {
      if (pings != null) {
        pings.cancel(false);
      }
    }

    @Override
    public void onMessage(Struct hello) {
      established = true;
      if (link) {
        synchronized (this) {
          if (!cancelled) {
            pings = scheduler.scheduleAtFixedRate(this::ping, PING.toMillis(), PING.toMillis(), TimeUnit.MILLISECONDS);
          }
        }
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      stopPings();
      if (cancelled || closed) {
        return;
      }
      if (link && !established && status.getCode() == Status.Code.UNIMPLEMENTED) {
        linkless.add(endpoint);
        LOG.info("Orderer at {} has no LeaderLink (an older build): watching it with LeaderWatch, which notices"
            + " only a closed connection", endpoint);
        retry(this, 0);
        return;
      }
      if (established && !status.isOk()) {
        listener.leaderLost(channelId, endpoint, status, unacknowledged(status) ? Break.UNACKNOWLEDGED : Break.CLOSED);
      }
      // Watch again unless the leader changes meanwhile: if it was no death after all, the next
      // one must not go unnoticed.
      retry(this, RETRY_MILLIS);
    }
  }
}
