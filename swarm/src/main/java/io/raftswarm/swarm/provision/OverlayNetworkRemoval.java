package io.raftswarm.swarm.provision;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Removes an overlay network on the swarm manager, waiting while the swarm still counts tasks
 * on it. After {@code docker compose down} on a worker, the manager keeps that worker's
 * network-attachment tasks until the worker's agent reports them gone; right after a partition
 * drill the agent is still reconnecting (with backoff), so the manager answers "network … is in
 * use by task …" for several seconds. Waiting it out is the fix; if the deadline passes anyway,
 * the network goes with the swarm when LeaveSwarm runs, so down still ends clean.
 */
final class OverlayNetworkRemoval {
  /** What the removal did. */
  enum Result { REMOVED, STILL_IN_USE }

  /** The Docker call; throws the engine's error as is. */
  interface Remover {
    void remove() throws Exception;
  }

  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final Duration patience;
  private final Duration pollEvery;
  private final LongSupplier clockMillis;
  private final Sleeper sleeper;

  OverlayNetworkRemoval(Duration patience, Duration pollEvery, LongSupplier clockMillis, Sleeper sleeper) {
    this.patience = patience;
    this.pollEvery = pollEvery;
    this.clockMillis = clockMillis;
    this.sleeper = sleeper;
  }

  static OverlayNetworkRemoval standard() {
    return new OverlayNetworkRemoval(Duration.ofSeconds(90), Duration.ofSeconds(1),
        System::currentTimeMillis, Thread::sleep);
  }

  Result remove(String network, Remover remover, Progress progress) throws Exception {
    long start = clockMillis.getAsLong();
    boolean told = false;
    while (true) {
      try {
        remover.remove();
        if (told) {
          progress.line("the swarm released " + network + " after "
              + (clockMillis.getAsLong() - start) / 100 / 10.0 + " s");
        }
        return Result.REMOVED;
      } catch (Exception e) {
        if (!isInUse(e)) {
          throw e;
        }
        long waited = clockMillis.getAsLong() - start;
        if (waited >= patience.toMillis()) {
          progress.line(network + " is still in use after " + patience.toSeconds() + " s ("
              + firstLine(e) + "); it goes with the swarm in LeaveSwarm");
          return Result.STILL_IN_USE;
        }
        if (!told) {
          progress.line(network + " is still attached to swarm tasks (a host's swarm agent has not"
              + " yet reported its containers gone, e.g. it is reconnecting after a partition);"
              + " waiting up to " + patience.toSeconds() + " s");
          told = true;
        }
        sleeper.sleep(pollEvery.toMillis());
      }
    }
  }

  /** Docker answers 400/409 with "network … is in use by task/container …" while attachments remain. */
  static boolean isInUse(Throwable e) {
    String m = e.getMessage();
    return m != null && m.contains("is in use by");
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
