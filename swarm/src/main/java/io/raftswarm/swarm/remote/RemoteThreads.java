package io.raftswarm.swarm.remote;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads for blocking stream copies (output drains, relay pumps). */
final class RemoteThreads {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Unbounded: each blocking copy needs its own thread; they end with their stream. */
  static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "remote-io-" + COUNTER.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private RemoteThreads() {}
}
