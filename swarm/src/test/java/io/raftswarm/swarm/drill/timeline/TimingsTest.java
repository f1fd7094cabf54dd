package io.raftswarm.swarm.drill.timeline;

import static io.raftswarm.swarm.drill.timeline.TimelineBuilder.CH;
import static io.raftswarm.swarm.drill.timeline.TimelineBuilder.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.Window;
import io.raftswarm.swarm.drill.load.TxOutcome;
import io.raftswarm.swarm.drill.load.TxRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimingsTest {
  private static final List<String> NODES = List.of("o1", "o2", "o3");

  private static FaultInstant exact(long ms) {
    return FaultInstant.exact("fault", at(ms), "test");
  }

  /** A fault known only to lie in [fromMs, toMs]. */
  private static FaultInstant window(long fromMs, long toMs) {
    return new FaultInstant("kill o1", new Window(at(fromMs), at(toMs)), "test", List.of(), null, List.of(),
        List.of(), List.of());
  }

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

  /**
   * An orderer reads its state between a poll's request and its answer; on a loaded box the answer
   * comes hundreds of ms later, and a block first shown by it may have been written just before
   * the orderer answered. The most a timing can be runs to the answer's arrival.
   */
  @Test
  void a_timing_from_a_poll_answered_late_reaches_to_the_answers_arrival() {
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.FAULT, "kill -9 o1", "o1")
        .answeringAfter(250)
        .round(1100, 5, 0, 1, List.of("o1"))
        .round(1400, 5, 2, 2, List.of("o1"))
        .round(1600, 6, 2, 2, List.of("o1"))
        .build(2000);

    Timing next = Timings.nextBlockInNewTerm(t, exact(1000), CH);
    assertThat(next.value()).as("to the request").isEqualTo(Duration.ofMillis(600));
    assertThat(next.upTo()).as("to the answer").isEqualTo(Duration.ofMillis(850));
    assertThat(next.isRange()).isTrue();
    Timing election = Timings.election(t, exact(1000), CH);
    assertThat(election.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(election.upTo()).isEqualTo(Duration.ofMillis(650));
    Timing fromWindow = Timings.nextBlockInNewTerm(t, window(950, 1000), CH);
    assertThat(fromWindow.value()).isEqualTo(Duration.ofMillis(600));
    assertThat(fromWindow.upTo()).as("from the window's start to the answer").isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void a_round_based_timing_reaches_to_the_rounds_last_answer() {
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.HEAL, "heal", "o3")
        .round(1100, 6, 1, 1, List.of(), Map.of("o3", 5L))
        .answeringAfter(120)
        .round(1200, 6, 1, 1, List.of())
        .build(2000);

    Timing converged = Timings.converged(t, exact(1000));
    assertThat(converged.value()).isEqualTo(Duration.ofMillis(200));
    assertThat(converged.upTo()).isEqualTo(Duration.ofMillis(320));
  }

  @Test
  void election_runs_from_the_fault_to_the_first_sample_showing_a_new_leader() {
    Timing t = Timings.election(killLeader(), exact(1000), CH);

    assertThat(t.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(t.note()).contains("o1 (term 1)", "o2 (term 2)");
  }

  @Test
  void after_a_leader_change_a_block_of_the_old_term_is_not_the_next_block() {
    // Block 6 was committed by o1 in term 1 just before the kill and reaches the others with o2's
    // first append (1300 ms); o2's own first block, 7 in term 2, comes at 1500 ms.
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.FAULT, "kill -9 o1", "o1")
        .round(1100, 5, 0, 2, List.of("o1"))
        .round(1300, 6, 2, 2, 1, List.of("o1"), Map.of())
        .round(1500, 7, 2, 2, 2, List.of("o1"), Map.of())
        .build(1600);

    assertThat(Timings.nextBlock(t, exact(1000), CH).value()).isEqualTo(Duration.ofMillis(300));
    Timing next = Timings.nextBlockInNewTerm(t, exact(1000), CH);
    assertThat(next.value()).isEqualTo(Duration.ofMillis(500));
    assertThat(next.note()).contains("in term 2");
  }

  @Test
  void a_term_that_moved_in_the_round_stamped_at_the_fault_still_counts_as_new() {
    // Lab, kill-leader 2026-12-04 run 4: the followers saw the dead leader's closed connections
    // and had elected o2 in term 2 before the round stamped at the fault returned; o2's first
    // block (7, term 2) came at 1500 ms. Before: the fault's term was read as 2 and no block counted.
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .round(1000, 5, 2, 2, 1, List.of("o1"), Map.of())
        .event(1000, DrillEvent.Kind.FAULT, "kill -9 o1", "o1")
        .round(1300, 6, 2, 2, 1, List.of("o1"), Map.of())
        .round(1500, 7, 2, 2, 2, List.of("o1"), Map.of())
        .build(1600);

    Timing next = Timings.nextBlockInNewTerm(t, exact(1000), CH);
    assertThat(next.value()).isEqualTo(Duration.ofMillis(500));
    assertThat(next.note()).contains("in term 2");
  }

  @Test
  void orderers_that_do_not_report_the_block_term_are_judged_by_height() {
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.FAULT, "kill -9 o1", "o1")
        .round(1300, 6, 2, 2, 0, List.of("o1"), Map.of())
        .build(1600);

    assertThat(Timings.nextBlockInNewTerm(t, exact(1000), CH).value()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void a_follower_naming_the_new_leader_counts_before_the_leader_answers_itself() {
    // o2 wins at ~1250 ms but its own /status answers only from 1400 ms; o3 names it at 1300 ms.
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.FAULT, "kill -9 o1", "o1")
        .round(1100, 5, 0, 2, List.of("o1"))
        .round(1300, 5, 2, 2, List.of("o1", "o2"))
        .round(1400, 5, 2, 2, List.of("o1"))
        .build(1500);

    Timing e = Timings.election(t, exact(1000), CH, "o1");

    assertThat(e.value()).isEqualTo(Duration.ofMillis(300));
    assertThat(e.note()).contains("o1 → o2 (term 2)", "seen in /status of o3");
  }

  @Test
  void a_follower_still_naming_the_old_leader_at_a_newer_term_is_not_an_election() {
    // o3's term moved to 2 (a vote request) while it still names o1; o1 re-elected shows itself at 1400 ms.
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 5, 1, 1, List.of())
        .event(1000, DrillEvent.Kind.FAULT, "freeze o1", "o1")
        .round(1300, 5, 1, 2, List.of("o1"))
        .round(1400, 5, 1, 2, List.of())
        .build(1500);

    Timing e = Timings.election(t, exact(1000), CH);

    assertThat(e.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(e.note()).contains("o1 (term 1) → o1 (term 2)").doesNotContain("of o");
  }

  @Test
  void when_the_leader_keeps_its_majority_then_no_election_is_observed() {
    Timeline t = new TimelineBuilder(NODES)
        .round(0, 1, 1, 1, List.of()).round(200, 2, 1, 1, List.of("o3")).build(300);

    Timing e = Timings.election(t, exact(100), CH);

    assertThat(e.observed()).isFalse();
    assertThat(e.note()).contains("o1 stayed leader");
  }

  @Test
  void next_block_is_the_first_sample_above_the_height_at_the_fault() {
    Timing t = Timings.nextBlock(killLeader(), exact(1000), CH);

    assertThat(t.value()).isEqualTo(Duration.ofMillis(600));
    assertThat(t.note()).contains("5 → 6");
  }

  @Test
  void catch_up_measures_the_restarted_node_until_it_reaches_the_others() {
    Timing t = Timings.catchUp(killLeader(), exact(2000), "o1", CH);

    assertThat(t.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(t.rate()).isEqualTo(25.0); // 6 → 11 in 200 ms
    assertThat(t.note()).contains("6 → 11");
  }

  @Test
  void a_rejoining_node_that_costs_an_election_is_reported_and_one_that_does_not_is_not() {
    assertThat(Timings.termChangeAfter(killLeader(), exact(2000), CH)).isEmpty();

    Timeline disrupted = new TimelineBuilder(NODES)
        .round(1900, 9, 2, 2, List.of("o1"))
        .event(2000, DrillEvent.Kind.RESTART, "start o1", "o1")
        .round(2100, 9, 2, 2, List.of("o1"))
        .round(2200, 9, 0, 3, List.of()) // o1's vote request moved everyone to term 3
        .round(2300, 10, 3, 3, List.of())
        .build(2400);
    assertThat(Timings.termChangeAfter(disrupted, exact(2000), CH)).hasValueSatisfying(note ->
        assertThat(note).startsWith("o1 reported term 3").contains("200 ms after fault").contains("the term was 2 at it"));
  }

  @Test
  void a_node_that_trails_by_one_block_in_every_round_under_a_fast_load_has_caught_up_once_it_has_what_the_others_had() {
    Timeline t = new TimelineBuilder(NODES)
        .event(0, DrillEvent.Kind.RESTART, "start o1", "o1")
        .round(100, 20, 2, 2, List.of(), Map.of("o1", 5L))
        .round(200, 22, 2, 2, List.of(), Map.of("o1", 19L))
        .round(300, 24, 2, 2, List.of(), Map.of("o1", 23L))
        .round(400, 26, 2, 2, List.of(), Map.of("o1", 25L))
        .build(500);

    Timing catchUp = Timings.catchUp(t, exact(0), "o1", CH);

    assertThat(catchUp.value()).as("at 300 ms o1 has 23 ≥ the 22 the others had at 200 ms").isEqualTo(Duration.ofMillis(300));
    assertThat(catchUp.note()).contains("5 → 23");
  }

  @Test
  void convergence_needs_every_orderer_reachable_at_equal_height_and_hash() {
    Timing t = Timings.converged(killLeader(), exact(2000));

    assertThat(t.value()).isEqualTo(Duration.ofMillis(400));
  }

  /** The minority catches up while the load goes on: within one block long before all are equal. */
  @Test
  void at_the_head_counts_every_orderer_within_one_block_of_the_highest() {
    Timeline t = new TimelineBuilder(NODES)
        .round(900, 20, 1, 1, List.of(), Map.of("o3", 10L))
        .event(1000, DrillEvent.Kind.HEAL, "heal", "o3")
        .round(1100, 21, 1, 1, List.of(), Map.of("o3", 10L))
        .round(1200, 22, 1, 1, List.of(), Map.of("o3", 20L))
        .round(1300, 23, 1, 1, List.of(), Map.of("o3", 22L))
        .round(1400, 24, 1, 1, List.of(), Map.of("o2", 23L))
        .round(1500, 25, 1, 1, List.of(), Map.of("o1", 26L))
        .round(1600, 26, 1, 1, List.of())
        .build(1700);

    assertThat(Timings.atHead(t, exact(1000)).value()).as("o3 one behind at 1300 ms").isEqualTo(Duration.ofMillis(300));
    assertThat(Timings.converged(t, exact(1000)).value()).as("all equal only at 1600 ms").isEqualTo(Duration.ofMillis(600));
    assertThat(Timings.atHead(t, exact(1550)).value()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void when_never_converged_then_not_observed() {
    Timeline t = new TimelineBuilder(NODES).round(0, 3, 1, 1, List.of("o2")).build(100);

    assertThat(Timings.converged(t, exact(0)).observed()).isFalse();
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

    Timing all = Timings.unavailability(records, exact(1000), at(3000), Set.of(), "");
    Timing o2 = Timings.unavailability(records, exact(1000), at(3000), Set.of("o2"), " (o2)");
    Timing o3 = Timings.unavailability(records, exact(1000), at(3000), Set.of("o3"), " (o3)");

    // fault → last failed send (1450)
    assertThat(all.value()).isEqualTo(Duration.ofMillis(450));
    assertThat(all.note()).contains("3 failed sends", "first at +100 ms");
    assertThat(o2.value()).isEqualTo(Duration.ofMillis(100));
    assertThat(o2.name()).isEqualTo("unavailability (o2)");
    assertThat(o3.value()).isEqualTo(Duration.ofMillis(450));
    assertThat(Timings.unavailability(records, exact(1000), at(1050), Set.of(), "").value()).isEqualTo(Duration.ZERO);
  }

  @Test
  void first_ack_counts_only_txs_sent_after_the_fault() {
    List<TxRecord> records = List.of(
        rec(900, TxOutcome.SUCCESS, 1050, "o2"),
        rec(1100, TxOutcome.SUCCESS, 1700, "o2"),
        rec(1200, TxOutcome.SUCCESS, 1650, "o3"));

    Timing t = Timings.firstAck(records, exact(1000), Set.of());

    assertThat(t.value()).isEqualTo(Duration.ofMillis(650));
    assertThat(t.note()).contains("o3");
  }

  // --- fault instants that are windows --------------------------------------------------------

  @Test
  void from_a_window_a_timing_runs_from_its_end_and_reaches_back_to_its_start() {
    // the kill happened somewhere in [950, 1000]
    Timing e = Timings.election(killLeader(), window(950, 1000), CH);
    Timing n = Timings.nextBlock(killLeader(), window(950, 1000), CH);

    assertThat(e.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(e.upTo()).isEqualTo(Duration.ofMillis(450));
    assertThat(e.isRange()).isTrue();
    assertThat(e.from()).isEqualTo("kill o1");
    assertThat(n.value()).isEqualTo(Duration.ofMillis(600));
    assertThat(n.upTo()).isEqualTo(Duration.ofMillis(650));
  }

  @Test
  void from_an_exact_instant_a_timing_is_a_single_value() {
    Timing e = Timings.election(killLeader(), exact(1000), CH);

    assertThat(e.upTo()).isNull();
    assertThat(e.isRange()).isFalse();
  }

  @Test
  void the_honest_instant_gives_a_longer_failover_than_the_command_return_did() {
    // the kill took effect at 1000 but `docker kill` returned at 1300: measured from the return,
    // the election looked 300 ms shorter than it was
    Timing honest = Timings.election(killLeader(), exact(1000), CH);
    Timing fromReturn = Timings.election(killLeader(), exact(1300), CH);

    assertThat(honest.value()).isEqualTo(Duration.ofMillis(400));
    assertThat(fromReturn.value()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void an_observation_inside_a_wide_window_counts_as_zero_from_its_end_and_says_so() {
    // a command span [1000, 1500] as the only evidence: the new leader at 1400 lies inside it
    Timing e = Timings.election(killLeader(), window(1000, 1500), CH);

    assertThat(e.value()).isEqualTo(Duration.ZERO);
    assertThat(e.upTo()).isEqualTo(Duration.ofMillis(400));
    assertThat(e.note()).contains("inside the fault window");
  }

  @Test
  void next_block_takes_the_height_at_the_windows_end_so_a_block_cut_before_the_fault_is_not_recovery() {
    // block 6 appears at 1600; with the fault somewhere in [1000, 1650] it may have been cut before it
    Timing n = Timings.nextBlock(killLeader(), window(1000, 1650), CH);

    assertThat(n.note()).contains("6 → 7");
    assertThat(n.value()).isEqualTo(Duration.ofMillis(450)); // height 9 seen at 2100
  }

  @Test
  void failures_sent_inside_the_window_count_as_unavailability() {
    List<TxRecord> records = List.of(
        rec(960, TxOutcome.REJECTED, 970, "o2"),   // inside the window [950, 1000]
        rec(1200, TxOutcome.REJECTED, 1210, "o2"));

    Timing u = Timings.unavailability(records, window(950, 1000), at(3000), Set.of(), "");

    assertThat(u.value()).isEqualTo(Duration.ofMillis(200));
    assertThat(u.upTo()).isEqualTo(Duration.ofMillis(250));
    assertThat(u.note()).contains("2 failed sends", "first at -40 ms");
  }

  @Test
  void a_thawed_leader_steps_down_when_it_reports_anything_but_leader_in_its_old_term() {
    Timeline t = new TimelineBuilder(NODES)
        .round(0, 5, 1, 1, List.of())
        .round(100, 5, 2, 2, List.of("o1"))             // o1 frozen, o2 elected
        .round(200, 6, 2, 2, List.of(), Map.of())        // o1 thawed: builder makes it FOLLOWER of o2 …
        .build(300);
    // … but first it still says LEADER in term 1, as a thawed leader does
    List<StatusSample> samples = new java.util.ArrayList<>(t.samples());
    samples.add(new StatusSample(at(150), "o1", new OrdererStatus("o1", List.of(
        new OrdererChannelStatus(CH, 1, "LEADER", 1, 1, 5, "hash5", 10, 1, 0))), null));
    Timeline thawed = new Timeline(t.start(), t.end(), t.orderers(), t.channels(), t.consenters(), samples, t.events());

    Timing s = Timings.stepDown(thawed, exact(120), "o1", CH, 1);

    assertThat(s.value()).isEqualTo(Duration.ofMillis(80));
    assertThat(s.note()).contains("FOLLOWER in term 2");
  }
}
