package io.raftswarm.swarm.client;

import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * gRPC channels opened on first use and reused per key (a node, or a node and an identity);
 * {@link #close()} shuts them all down. Channels are expensive (a TLS handshake, a netty event
 * loop share), so every stream to the same node goes over one.
 */
public final class ChannelPool implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /** The channel for {@code key}, opened by {@code open} if there is none yet. */
  public ManagedChannel get(String key, Supplier<ManagedChannel> open) {
    return channels.computeIfAbsent(key, k -> open.get());
  }

  /** Shuts every channel down at once, then gives each up to 2 s to finish. */
  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    channels.clear();
  }
}
