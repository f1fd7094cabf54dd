package io.raftswarm.swarm.bench;

import java.util.Locale;
import java.util.Map;

/**
 * What one {@code bench ordering} run measured.
 *
 * @param role the target's role on the channel when the bench started (FOLLOWER / LEADER)
 * @param blocks blocks the target's channel grew by during the measurement window
 * @param txPerBlock acknowledged txs in the window / blocks (approximate: acks trail commits)
 * @param termBefore Raft term at the window's start, termAfter at its end (a change = election)
 * @param poolExhausted true when the pre-signed envelopes ran out before the window ended
 */
public record OrderingBenchResult(
    String orderer,
    String role,
    String leader,
    String channel,
    int streams,
    int window,
    int envelopeBytes,
    int pooled,
    int sent,
    AckStats.Snapshot stats,
    long blocks,
    double txPerBlock,
    long termBefore,
    long termAfter,
    boolean poolExhausted,
    long unansweredAtEnd) {

  /** How the orderer words giving up on a silent leader ("no answer from the Raft leader X for 10 s while …"). */
  static final String FORWARD_TIMEOUT = "no answer from the Raft leader";
  /** A submit→ack median this long means the load queues at the leader (a saturated channel answers in ~1–2 s). */
  static final double QUEUED_P50_MS = 5_000;

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "target: %s (%s; leader %s), channel %s, %d streams × %d in flight, "
        + "%d-byte envelopes, %d pre-signed, %d sent%n", orderer, role, leader, channel, streams, window,
        envelopeBytes, pooled, sent));
    b.append(String.format(Locale.ROOT, "THROUGHPUT: %.0f tx/s acknowledged (%d SUCCESS in %.1f s)%n",
        stats.txPerSecond(), stats.acks(), stats.seconds()));
    b.append(String.format(Locale.ROOT, "LATENCY submit→ack: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        stats.p50Ms(), stats.p99Ms(), stats.maxMs()));
    b.append(String.format(Locale.ROOT, "BLOCKS: %d in the window, %.1f tx/block; Raft term %d → %d%n",
        blocks, txPerBlock, termBefore, termAfter));
    appendFailures(b, "NOT SUCCESS in the window", stats.notSuccessInWindow());
    appendFailures(b, "NOT SUCCESS outside the window (warmup/drain)", stats.notSuccessOutsideWindow());
    if (poolExhausted) {
      b.append("NOTE: the pre-signed pool ran out before the window ended: the rate is a lower bound; "
          + "raise --pool\n");
    }
    long timedOut = forwardTimeouts();
    boolean mostlyTimedOut = timedOut > stats.acks();
    boolean queued = stats.acks() > 0 && stats.p50Ms() >= QUEUED_P50_MS;
    if (blocks > 0 && (mostlyTimedOut || queued)) {
      b.append(String.format(Locale.ROOT, "NOTE: the channel grew by %d blocks in the window (%.1f tx/block) while %s:"
          + " %d streams × %d in flight is more than the channel orders promptly, so envelopes wait in the Raft"
          + " leader's queue. A block holds at most the channel's BatchSize.MaxMessageCount transactions (10 on the"
          + " lab's demo channel): lower --window or --streams, or raise it: raftswarm channel update -C %s"
          + " --max-message-count 500%n",
          blocks, txPerBlock, mostlyTimedOut
              ? timedOut + " envelopes got no answer from the Raft leader in time (and may still have been ordered)"
              : String.format(Locale.ROOT, "half the answers took over %.1f s", stats.p50Ms() / 1000),
          streams, window, channel));
    }
    if (unansweredAtEnd > 0) {
      b.append("NOTE: ").append(unansweredAtEnd).append(" envelopes were still unanswered at the end\n");
    }
    return b.toString();
  }

  /** Answers in the window that were the follower giving up on the leader (LeaderForwarder's timeout). */
  private long forwardTimeouts() {
    return stats.notSuccessInWindow().entrySet().stream()
        .filter(e -> e.getKey().contains(FORWARD_TIMEOUT))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static void appendFailures(StringBuilder b, String title, Map<String, Long> byReason) {
    if (byReason.isEmpty()) {
      b.append(title).append(": none\n");
      return;
    }
    b.append(title).append(":\n");
    byReason.forEach((reason, n) -> b.append(String.format(Locale.ROOT, "  %7d  %s%n", n, reason)));
  }
}
