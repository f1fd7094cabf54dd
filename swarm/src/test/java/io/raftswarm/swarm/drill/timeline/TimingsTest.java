package io.raftswarm.swarm.drill.timeline;

import static io.raftswarm.swarm.drill.timeline.TimelineBuilder.CH;
import static io.raftswarm.swarm.drill.timeline.TimelineBuilder.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.drill.load.TxOutcome;
import io.raftswarm.swarm.drill.load.TxRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimingsTest {
  private static final List<String> NODES = List.of("o1", "o2", "o3");

  /** o1 leads, is killed at 1000 ms; o2 leads from 1400 ms; block 6 appears at 1600 ms. */
  private static Timeline killLeader() {
    return new TimelineBuilder(NODES)
        .round(800, 5, 1, 1, List.of())
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.FAULT, "kill -9 o1", "o1")
        .round(1100, 5, 0, 1, List.of("o1"))
        .round(1300, 5, 0, 2, List.of("o1"))
        .round(1400, 5, 2, 2, List.of("o1"))
        .round(1500, 5, 2, 2, List.of("o1"))
        .round(1600, 6, 2, 2, List.of("o1"))
        .event(2000, DrillEvent.Kind.RESTART, "start o1", "o1")
        .round(2100, 9, 2, 2, List.of("o1"))
        .round(2200, 10, 2, 2, List.of(), Map.of("o1", 6L))
        .round(2300, 11, 2, 2, List.of(), Map.of("o1", 9L))
        .round(2400, 11, 2, 2, List.of())
        .build(2500);
  }

  @Test
  void election_runs_from_the_fault_to_the_first_sample_showing_a_new_leader() {
    Timing t = Timings.election(killLeader(), at(1000), CH);

    assertThat(t.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(t.note()).contains("o1 (term 1)", "o2 (term 2)");
  }

  @Test
  void when_the_leader_keeps_its_majority_then_no_election_is_observed() {
    Timeline t = new TimelineBuilder(NODES)
        .round(0, 1, 1, 1, List.of()).round(200, 2, 1, 1, List.of("o3")).build(300);

    Timing e = Timings.election(t, at(100), CH);

    assertThat(e.observed()).isFalse();
    assertThat(e.note()).contains("o1 stayed leader");
  }

  @Test
  void next_block_is_the_first_sample_above_the_height_at_the_fault() {
    Timing t = Timings.nextBlock(killLeader(), at(1000), CH);

    assertThat(t.value()).isEqualTo(Duration.ofMillis(600));
    assertThat(t.note()).contains("5 → 6");
  }

  @Test
  void catch_up_measures_the_restarted_node_until_it_reaches_the_others() {
    Timing t = Timings.catchUp(killLeader(), at(2000), "o1", CH);

    assertThat(t.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(t.rate()).isEqualTo(25.0); // 6 → 11 in 200 ms
    assertThat(t.note()).contains("6 → 11");
  }

  @Test
  void convergence_needs_every_orderer_reachable_at_equal_height_and_hash() {
    Timing t = Timings.converged(killLeader(), at(2000));

    assertThat(t.value()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void when_never_converged_then_not_observed() {
    Timeline t = new TimelineBuilder(NODES).round(0, 3, 1, 1, List.of("o2")).build(100);

    assertThat(Timings.converged(t, at(0)).observed()).isFalse();
  }

  private static TxRecord rec(long sentMs, TxOutcome outcome, long answerMs, String orderer) {
    return new TxRecord("tx" + sentMs, CH, orderer, at(sentMs), outcome,
        outcome == TxOutcome.NO_ANSWER ? null : at(answerMs), outcome.name());
  }

  @Test
  void unavailability_spans_first_to_last_failed_send_in_the_window() {
    List<TxRecord> records = List.of(
        rec(500, TxOutcome.REJECTED, 510, "o2"), // before the window
        rec(1050, TxOutcome.SUCCESS, 1500, "o2"),
        rec(1100, TxOutcome.REJECTED, 1110, "o2"),
        rec(1200, TxOutcome.ERROR, 1201, "o3"),
        rec(1450, TxOutcome.REJECTED, 1460, "o3"),
        rec(1500, TxOutcome.SUCCESS, 1600, "o3"));

    Timing all = Timings.unavailability(records, at(1000), at(3000), Set.of(), "");
    Timing o2 = Timings.unavailability(records, at(1000), at(3000), Set.of("o2"), " (o2)");

    assertThat(all.value()).isEqualTo(Duration.ofMillis(350));
    assertThat(all.note()).contains("3 failed sends", "+100 ms");
    assertThat(o2.value()).isEqualTo(Duration.ZERO);
    assertThat(o2.name()).isEqualTo("unavailability (o2)");
  }

  @Test
  void first_ack_counts_only_txs_sent_after_the_fault() {
    List<TxRecord> records = List.of(
        rec(900, TxOutcome.SUCCESS, 1050, "o2"),
        rec(1100, TxOutcome.SUCCESS, 1700, "o2"),
        rec(1200, TxOutcome.SUCCESS, 1650, "o3"));

    Timing t = Timings.firstAck(records, at(1000), Set.of());

    assertThat(t.value()).isEqualTo(Duration.ofMillis(650));
    assertThat(t.note()).contains("o3");
  }
}
