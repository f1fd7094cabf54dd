package io.raftswarm.swarm.provision;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads for per-host work that blocks on the network (the common ForkJoin pool has a
 * single thread on a 2-core machine, which would serialize the hosts).
 */
final class ProvisionThreads {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "provision-" + COUNTER.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private ProvisionThreads() {}
}
