package io.raftswarm.orderer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints every thread's stack to stderr when a test step (an orderer's start or stop) runs longer
 * than it should, while it still runs: a test's timeout interrupts the step and the hang's
 * location is lost (seen once in CI: an orderer's stop that waited ~2 min).
 */
final class SlowStepDump implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "slow-step-dump");
    t.setDaemon(true);
    return t;
  });

  private final ScheduledFuture<?> dump;

  private SlowStepDump(String step, Duration after) {
    this.dump = TIMER.schedule(() -> print(step, after), after.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Dumps the threads if {@code step} has not ended (closed) within {@code after}. */
  static SlowStepDump after(Duration after, String step) {
    return new SlowStepDump(step, after);
  }

  private static void print(String step, Duration after) {
    StringBuilder out = new StringBuilder("=== " + step + " still running after " + after.toSeconds() + " s; threads:\n");
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      out.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
      for (StackTraceElement frame : e.getValue()) {
        out.append("    at ").append(frame).append('\n');
      }
    }
    System.err.print(out);
  }

  @Override
  public void close() {
    dump.cancel(false);
  }
}
