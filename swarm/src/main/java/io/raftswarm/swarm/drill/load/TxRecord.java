package io.raftswarm.swarm.drill.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One transaction the load sent and what became of it.
 *
 * @param answeredAt when the answer (or the error) arrived; null for {@link TxOutcome#NO_ANSWER}
 * @param detail the Broadcast status and info, or the error, or "" for SUCCESS
 */
public record TxRecord(
    String txId,
    String channel,
    String orderer,
    Instant sentAt,
    TxOutcome outcome,
    Instant answeredAt,
    String detail) {

  public TxRecord {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(orderer, "orderer");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome != TxOutcome.NO_ANSWER) {
      Objects.requireNonNull(answeredAt, "answeredAt is required for " + outcome);
    }
    detail = detail == null ? "" : detail;
  }

  /** Time from send to answer, or null when unanswered. */
  public Duration latency() {
    return answeredAt == null ? null : Duration.between(sentAt, answeredAt);
  }
}
