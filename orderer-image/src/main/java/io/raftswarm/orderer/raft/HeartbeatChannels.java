package io.raftswarm.orderer.raft;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpcWithProxy;
import org.apache.ratis.thirdparty.io.grpc.ConnectivityState;
import org.apache.ratis.thirdparty.io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects Ratis' heartbeat channel to a peer before this node leads. Ratis 3.3 sends a leader's
 * heartbeats on a gRPC channel of their own, which connects on its first call, and its log
 * appender waits until that stream is ready before it sends anything more to the follower (a
 * heartbeat is the first request of a new leader). So a follower that became leader opened a TLS
 * connection to every follower before it could replicate its first entry: on the loaded lab
 * 200–700 ms per follower, all of it between the election and the first block after a leader died
 * (docs/BENCHMARKS.md "Heartbeat channels connected ahead").
 *
 * <p>The channel is Ratis' private field {@code hbChannel} of its per-peer client; asking it for its
 * state with a connection request opens it without a call, so the peer sees nothing but a
 * connection. gRPC closes a channel without calls after 30 idle minutes, so this is asked again
 * whenever the channel is not ready. With the separate channel switched off in Ratis there is
 * nothing to connect (every request shares the channel elections use); a Ratis without the field
 * is reported, once, and its channels count as never connected.
 */
public final class HeartbeatChannels {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatChannels.class);
  static final String FIELD = "hbChannel";

  private HeartbeatChannels() {}

  /** What {@link #connect} found for one peer. */
  public enum State {
    /** Connected: a heartbeat to this peer goes out at once. */
    READY,
    /** Not connected yet (connecting, or failing to): asked to connect. */
    CONNECTING,
    /** There is no separate heartbeat channel to this peer: nothing to wait for. */
    NONE,
    /** This Ratis keeps its heartbeat channel elsewhere: it cannot be connected ahead. */
    UNKNOWN;

    /** Whether a new leader's first heartbeat to the peer goes out without waiting for a connection. */
    public boolean ready() {
      return this == READY || this == NONE;
    }
  }

  /** Whether the missing field was logged already (once per process). */
  private static final AtomicBoolean REPORTED = new AtomicBoolean();
  /** Ratis' field, looked up once: this is asked every 2 s for every peer. */
  private static volatile Field channelField;

  /** Asks this node's heartbeat channel to {@code peer} to connect if it is not; never throws. */
  public static State connect(RaftServer server, RaftPeerId peer) {
    try {
      if (!(server.getServerRpc() instanceof RaftServerRpcWithProxy<?, ?> rpc)) {
        return State.NONE;
      }
      Object client = rpc.getProxies().getProxy(peer);
      if (!(channelField(client.getClass()).get(client) instanceof ManagedChannel channel)) {
        return State.NONE;
      }
      return channel.getState(true) == ConnectivityState.READY ? State.READY : State.CONNECTING;
    } catch (ReflectiveOperationException | java.lang.reflect.InaccessibleObjectException e) {
      if (REPORTED.compareAndSet(false, true)) {
        LOG.warn("Cannot reach Ratis' heartbeat channel ({}): a new leader's first heartbeat to each follower will"
            + " wait for a connection", e.toString());
      }
      return State.UNKNOWN;
    } catch (IOException | RuntimeException e) {
      LOG.debug("No heartbeat channel to {}: {}", peer, e.toString());
      return State.CONNECTING;
    }
  }

  private static Field channelField(Class<?> clientClass) throws NoSuchFieldException {
    Field field = channelField;
    if (field == null || field.getDeclaringClass() != clientClass) {
      field = clientClass.getDeclaredField(FIELD);
      field.setAccessible(true);
      channelField = field;
    }
    return field;
  }
}
