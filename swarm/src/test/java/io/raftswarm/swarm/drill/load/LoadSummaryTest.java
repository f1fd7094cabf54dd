package io.raftswarm.swarm.drill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSummaryTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  private static TxRecord rec(String id, String orderer, long sentMs, TxOutcome outcome, long answerMs) {
    return new TxRecord(id, "mychannel", orderer, T0.plusMillis(sentMs), outcome,
        outcome == TxOutcome.NO_ANSWER ? null : T0.plusMillis(answerMs), "");
  }

  private final LoadResult result = new LoadResult(T0, T0.plusSeconds(10), List.of(
      rec("a", "o1", 100, TxOutcome.SUCCESS, 140),
      rec("b", "o2", 200, TxOutcome.REJECTED, 205),
      rec("c", "o1", 300, TxOutcome.SUCCESS, 400),
      rec("d", "o2", 400, TxOutcome.ERROR, 401),
      rec("e", "o1", 500, TxOutcome.NO_ANSWER, 0),
      rec("f", "o2", 600, TxOutcome.SUCCESS, 620)), 3, 4);

  @Test
  void counts_outcomes_overall_and_per_orderer() {
    LoadSummary s = LoadSummary.of(result);

    assertThat(s.total()).isEqualTo(new LoadSummary.Counts(6, 3, 1, 1, 1));
    assertThat(s.total().failed()).isEqualTo(3);
    assertThat(s.perOrderer()).containsEntry("o1", new LoadSummary.Counts(3, 2, 0, 0, 1))
        .containsEntry("o2", new LoadSummary.Counts(3, 1, 1, 1, 0));
    assertThat(s.skippedReconnecting()).isEqualTo(3);
    assertThat(s.skippedInFlight()).isEqualTo(4);
    assertThat(s.ackedPerSecond()).isEqualTo(0.3);
  }

  @Test
  void failure_window_runs_from_first_to_last_failed_send() {
    LoadSummary s = LoadSummary.of(result);

    assertThat(s.firstFailure()).isEqualTo(T0.plusMillis(200));
    assertThat(s.lastFailure()).isEqualTo(T0.plusMillis(500));
  }

  @Test
  void latency_covers_only_acknowledged_txs() {
    LoadSummary.Latency l = LoadSummary.of(result).ackLatency();

    assertThat(l.count()).isEqualTo(3);
    assertThat(l.maxMs()).isBetween(99.0, 101.0);
    assertThat(l.p50Ms()).isBetween(39.0, 41.0);
  }

  @Test
  void acknowledged_and_unacknowledged_partition_the_sent_txs() {
    assertThat(LoadSummary.acknowledged(result))
        .extracting(a -> a.txId() + "@" + a.orderer() + "@" + a.ackedAt().toEpochMilli())
        .containsExactly("a@o1@" + T0.plusMillis(140).toEpochMilli(),
            "c@o1@" + T0.plusMillis(400).toEpochMilli(), "f@o2@" + T0.plusMillis(620).toEpochMilli());
    assertThat(LoadSummary.unacknowledged(result)).containsExactlyInAnyOrder("b", "d", "e");
  }

  @Test
  void failure_reasons_are_counted_most_frequent_first() {
    LoadResult r = new LoadResult(T0, T0.plusSeconds(1), List.of(
        new TxRecord("a", "ch", "o1", T0, TxOutcome.REJECTED, T0, "SERVICE_UNAVAILABLE: no leader"),
        new TxRecord("b", "ch", "o1", T0, TxOutcome.ERROR, T0, "UNAVAILABLE: io exception"),
        new TxRecord("c", "ch", "o2", T0, TxOutcome.REJECTED, T0, "SERVICE_UNAVAILABLE: no leader")), 0, 0);

    assertThat(LoadSummary.of(r).failureReasons()).containsExactly(
        java.util.Map.entry("REJECTED: SERVICE_UNAVAILABLE: no leader", 2L),
        java.util.Map.entry("ERROR: UNAVAILABLE: io exception", 1L));
  }

  @Test
  void no_failures_means_no_window() {
    LoadResult clean = new LoadResult(T0, T0.plusSeconds(1),
        List.of(rec("a", "o1", 1, TxOutcome.SUCCESS, 2)), 0, 0);

    LoadSummary s = LoadSummary.of(clean);

    assertThat(s.firstFailure()).isNull();
    assertThat(s.lastFailure()).isNull();
  }
}
