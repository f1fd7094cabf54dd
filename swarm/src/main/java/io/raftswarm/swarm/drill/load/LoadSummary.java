package io.raftswarm.swarm.drill.load;

import io.raftswarm.swarm.drill.verdict.AcknowledgedTx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Accounting of a load run: outcomes per orderer and overall, acknowledgement latency, and the
 * client-visible failure window (first to last failed send).
 *
 * @param firstFailure when the first envelope that did not get SUCCESS was sent (null if none)
 * @param lastFailure when the last such envelope was sent (null if none)
 */
public record LoadSummary(
    Counts total,
    Map<String, Counts> perOrderer,
    Latency ackLatency,
    Instant firstFailure,
    Instant lastFailure,
    double ackedPerSecond,
    int skippedReconnecting,
    int skippedInFlight,
    Map<String, Long> failureReasons) {

  private static final int REASONS_KEPT = 5;

  public LoadSummary {
    perOrderer = Map.copyOf(perOrderer);
    failureReasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failureReasons));
  }

  /** Outcome counts; {@code sent} = the sum of the others. */
  public record Counts(int sent, int succeeded, int rejected, int errors, int noAnswer) {
    static Counts of(List<TxRecord> records) {
      Map<TxOutcome, Long> by = records.stream()
          .collect(Collectors.groupingBy(TxRecord::outcome, Collectors.counting()));
      return new Counts(records.size(),
          by.getOrDefault(TxOutcome.SUCCESS, 0L).intValue(),
          by.getOrDefault(TxOutcome.REJECTED, 0L).intValue(),
          by.getOrDefault(TxOutcome.ERROR, 0L).intValue(),
          by.getOrDefault(TxOutcome.NO_ANSWER, 0L).intValue());
    }

    public int failed() {
      return sent - succeeded;
    }
  }

  /** Send-to-SUCCESS latency in milliseconds; zeros when nothing succeeded. */
  public record Latency(long count, double p50Ms, double p99Ms, double maxMs) {}

  public static LoadSummary of(LoadResult result) {
    List<TxRecord> records = result.records();
    Map<String, Counts> perOrderer = new TreeMap<>();
    records.stream().collect(Collectors.groupingBy(TxRecord::orderer))
        .forEach((o, rs) -> perOrderer.put(o, Counts.of(rs)));

    Histogram h = new Histogram(3);
    records.stream().filter(r -> r.outcome() == TxOutcome.SUCCESS)
        .forEach(r -> h.recordValue(Math.max(0, r.latency().toNanos() / 1_000)));
    Latency latency = h.getTotalCount() == 0
        ? new Latency(0, 0, 0, 0)
        : new Latency(h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);

    List<TxRecord> failures = records.stream().filter(r -> r.outcome().failed()).toList();
    Counts total = Counts.of(records);
    double seconds = Math.max(0.001,
        Duration.between(result.startedAt(), result.finishedAt()).toMillis() / 1000.0);
    return new LoadSummary(total, perOrderer, latency,
        failures.isEmpty() ? null : failures.get(0).sentAt(),
        failures.isEmpty() ? null : failures.get(failures.size() - 1).sentAt(),
        total.succeeded() / seconds, result.skippedReconnecting(), result.skippedInFlight(),
        reasons(failures));
  }

  /** The most frequent failure reasons ("OUTCOME: detail"), most frequent first. */
  private static Map<String, Long> reasons(List<TxRecord> failures) {
    Map<String, Long> counts = failures.stream().collect(Collectors.groupingBy(
        r -> r.outcome() + (r.detail().isEmpty() ? "" : ": " + abbreviate(r.detail())),
        Collectors.counting()));
    Map<String, Long> top = new java.util.LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(REASONS_KEPT)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 119) + "…";
  }

  /** The transactions a client saw SUCCESS for: what the verdict must find exactly once. */
  public static List<AcknowledgedTx> acknowledged(LoadResult result) {
    return result.records().stream()
        .filter(r -> r.outcome() == TxOutcome.SUCCESS)
        .map(r -> new AcknowledgedTx(r.txId(), r.channel(), r.orderer(), r.answeredAt()))
        .toList();
  }

  /** Tx ids sent without a SUCCESS: allowed to be committed or not. */
  public static Set<String> unacknowledged(LoadResult result) {
    return result.records().stream()
        .filter(r -> r.outcome().failed())
        .map(TxRecord::txId)
        .collect(Collectors.toUnmodifiableSet());
  }
}
