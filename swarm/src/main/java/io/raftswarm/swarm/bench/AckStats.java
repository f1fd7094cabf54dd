package io.raftswarm.swarm.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Answers counted inside the measurement window [start, end) (by answer time, nanoTime
 * clock); answers during warmup or the drain after it are only counted as totals. Latency is
 * submit → answer of the SUCCESS answers in the window. Thread-safe.
 */
public final class AckStats {
  private final long windowStartNanos;
  private final long windowEndNanos;
  private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
  private final Map<String, Long> failuresInWindow = new TreeMap<>();
  private final Map<String, Long> failuresOutside = new TreeMap<>();
  private long acksInWindow;
  private long answersTotal;
  private long intervalAcks;
  private long intervalFailures;

  public AckStats(long windowStartNanos, long windowEndNanos) {
    if (windowEndNanos <= windowStartNanos) {
      throw new IllegalArgumentException("measurement window must end after it starts");
    }
    this.windowStartNanos = windowStartNanos;
    this.windowEndNanos = windowEndNanos;
  }

  /** One SUCCESS answer. */
  public synchronized void acked(long sentNanos, long answeredNanos) {
    answersTotal++;
    intervalAcks++;
    if (inWindow(answeredNanos)) {
      acksInWindow++;
      latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(),
          Math.max(0, TimeUnit.NANOSECONDS.toMicros(answeredNanos - sentNanos))));
    }
  }

  /** One envelope that did not get SUCCESS: a Broadcast status, a stream error, no answer. */
  public synchronized void failed(long answeredNanos, String reason) {
    answersTotal++;
    intervalFailures++;
    (inWindow(answeredNanos) ? failuresInWindow : failuresOutside).merge(reason, 1L, Long::sum);
  }

  private boolean inWindow(long nanos) {
    return nanos >= windowStartNanos && nanos < windowEndNanos;
  }

  public synchronized Snapshot snapshot() {
    double seconds = (windowEndNanos - windowStartNanos) / 1e9;
    boolean any = latencyMicros.getTotalCount() > 0;
    return new Snapshot(acksInWindow, seconds, acksInWindow / seconds,
        any ? latencyMicros.getValueAtPercentile(50) / 1000.0 : 0,
        any ? latencyMicros.getValueAtPercentile(99) / 1000.0 : 0,
        any ? latencyMicros.getMaxValue() / 1000.0 : 0,
        Map.copyOf(failuresInWindow), Map.copyOf(failuresOutside), answersTotal);
  }

  /** SUCCESS and other answers since the previous call (or the start), warmup included; resets them. */
  public synchronized long[] takeInterval() {
    long[] counts = {intervalAcks, intervalFailures};
    intervalAcks = 0;
    intervalFailures = 0;
    return counts;
  }

  /** The numbers as measured. Latencies in milliseconds. */
  public record Snapshot(long acks, double seconds, double txPerSecond, double p50Ms, double p99Ms,
      double maxMs, Map<String, Long> notSuccessInWindow, Map<String, Long> notSuccessOutsideWindow,
      long answersTotal) {
    public Snapshot {
      notSuccessInWindow = new TreeMap<>(notSuccessInWindow);
      notSuccessOutsideWindow = new TreeMap<>(notSuccessOutsideWindow);
    }
  }
}
