package io.raftswarm.swarm.drill.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultInstantsTest {
  private static final Instant T0 = Instant.parse("2024-05-01T11:35:25Z");
  private static final ClockOffset SAME = new ClockOffset("host2", true, Duration.ZERO, Duration.ofMillis(1),
      "test", List.of());
  /** host3's clock runs 2 s ahead of the operator's, known to ± 3 ms. */
  private static final ClockOffset AHEAD = new ClockOffset("host3", true, Duration.ofSeconds(2), Duration.ofMillis(3),
      "test", List.of());

  private static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  /** The case: docker kill issued at 0, the process died at 4930 ms, the command returned at 5940 ms. */
  private static final CommandSpan KILL = new CommandSpan("docker kill --signal KILL orderer3", at(0), at(5940));

  private static EngineEvent die(String host, Instant t) {
    return EngineEvent.ofNanos(host, "orderer3", "die", t.getEpochSecond() * 1_000_000_000L + t.getNano());
  }

  private static Instant nanosAfter(long ms, long nanos) {
    return at(ms).plusNanos(nanos);
  }

  @Test
  void the_engine_places_the_kill_where_it_happened_not_where_the_command_returned() {
    // containerd's exit time 4930, the die event logged 1.2 ms later
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host2", nanosAfter(4931, 200_000))),
        Optional.of(at(4930)), SAME, List.of());

    assertThat(f.source()).isEqualTo("State.FinishedAt");
    assertThat(f.earliest()).isEqualTo(at(4929));
    assertThat(f.latest()).isEqualTo(at(4931));
    assertThat(f.reference()).isEqualTo(at(4931)).isBefore(KILL.returned());
    assertThat(f.warnings()).isEmpty();
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).contains("die event 1.2 ms later"))
        .anySatisfy(n -> assertThat(n).contains("issued at -4931.0 ms", "returned at +1009.0 ms"));
    assertThat(f.evidence()).extracting(Evidence::name)
        .contains("die event timeNano", "State.FinishedAt", "command issued", "command returned");
  }

  @Test
  void a_follower_that_noticed_the_death_before_FinishedAt_opens_the_window_back_to_it() {
    // as on the lab: State.FinishedAt 4930 (host2), a follower on host3 logged the leader's closed
    // connection at 6871 on its clock, 2 s ahead: 4871 on the operator's, 59 ms before the exit record
    FaultInstant died = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.empty(),
        Optional.of(at(4930)), SAME, List.of());
    FaultInstant f = FaultInstants.noticedBy(died, List.of(
        new Noticed("host3", "orderer6", at(6871), "Lost the connection to leader 3 …"),
        new Noticed("host2", "orderer4", at(4950), "Lost the connection to leader 3 …")),
        h -> h.equals("host3") ? AHEAD : SAME);

    assertThat(f.window()).isEqualTo(new Window(at(4868), at(4931)));
    assertThat(f.source()).isEqualTo("State.FinishedAt, opened back to orderer6's record of it");
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).contains("orderer6 on host3 noticed it 61.0 ms before"));
    assertThat(f.clocks()).extracting(ClockOffset::host).containsExactly("host2", "host3");
    assertThat(f.evidence()).extracting(Evidence::name).contains("orderer6 noticed it", "orderer4 noticed it");
  }

  @Test
  void a_later_notice_only_cross_checks_and_an_unplaceable_one_is_not_used() {
    FaultInstant died = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.empty(),
        Optional.of(at(4930)), SAME, List.of());
    FaultInstant later = FaultInstants.noticedBy(died, List.of(new Noticed("host2", "orderer4", at(4990), "")), h -> SAME);
    assertThat(later.window()).isEqualTo(died.window());
    assertThat(later.notes()).anySatisfy(n -> assertThat(n).contains("(orderer4) did so 60.0 ms after"));

    FaultInstant unplaced = FaultInstants.noticedBy(died, List.of(new Noticed("host9", "orderer9", at(10), "")),
        h -> ClockOffset.unknown(h, "no /info"));
    assertThat(unplaced.window()).isEqualTo(died.window());
    assertThat(unplaced.warnings()).anySatisfy(w -> assertThat(w).contains("orderer9's record of it cannot be placed"));
  }

  @Test
  void the_die_event_is_only_a_cross_check_because_the_engine_logs_it_after_cleaning_up() {
    // as measured on the loaded lab: the die event 465 ms after containerd's exit time
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host2", at(5395))),
        Optional.of(at(4930)), SAME, List.of());

    assertThat(f.window()).isEqualTo(new Window(at(4929), at(4931)));
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).contains("465.0 ms later"));
  }

  @Test
  void a_remote_engine_time_is_moved_by_the_hosts_clock_offset() {
    // host3 recorded the exit at 6930 on its clock = 4930 on the operator's
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host3", at(6931))),
        Optional.of(at(6930)), AHEAD, List.of());

    assertThat(f.window()).isEqualTo(new Window(at(4927), at(4933)));
    assertThat(f.clocks()).containsExactly(AHEAD);
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void a_die_event_before_finished_at_is_unexpected_and_the_window_spans_both() {
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host2", at(4900))),
        Optional.of(at(4930)), SAME, List.of());

    assertThat(f.window()).isEqualTo(new Window(at(4899), at(4931)));
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).contains("30.0 ms before State.FinishedAt", "unexpected"));
  }

  @Test
  void finished_at_from_before_the_command_is_an_earlier_exit_and_only_the_die_event_counts() {
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host2", at(4930))),
        Optional.of(at(-60_000)), SAME, List.of());

    assertThat(f.source()).isEqualTo("engine die event");
    assertThat(f.window()).isEqualTo(new Window(at(4929), at(4931)));
    assertThat(f.warnings()).anySatisfy(w -> assertThat(w).contains("earlier exit"))
        .anySatisfy(w -> assertThat(w).contains("may be late"));
  }

  @Test
  void a_pause_is_placed_by_the_engines_pause_event_alone() {
    CommandSpan pause = new CommandSpan("docker pause orderer3", at(0), at(3000));
    FaultInstant f = FaultInstants.fromEngine("freeze orderer3", "pause", pause,
        Optional.of(EngineEvent.ofNanos("host2", "orderer3", "pause", at(2500).toEpochMilli() * 1_000_000L)),
        Optional.empty(), SAME, List.of());

    assertThat(f.source()).isEqualTo("engine pause event");
    assertThat(f.window()).isEqualTo(new Window(at(2499), at(2501)));
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void without_a_die_event_finished_at_is_used_and_the_gap_is_said() {
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.empty(),
        Optional.of(at(4930)), SAME, List.of("cannot read the die event: timeout"));

    assertThat(f.source()).isEqualTo("State.FinishedAt");
    assertThat(f.window()).isEqualTo(new Window(at(4929), at(4931)));
    assertThat(f.warnings()).contains("cannot read the die event: timeout")
        .anySatisfy(w -> assertThat(w).contains("no engine die event"));
  }

  @Test
  void with_no_engine_record_the_instant_is_the_whole_command_window() {
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.empty(), Optional.empty(),
        SAME, List.of());

    assertThat(f.window()).isEqualTo(KILL.window());
    assertThat(f.isWindow()).isTrue();
    assertThat(f.source()).contains("issued → returned");
    assertThat(f.warnings()).anySatisfy(w -> assertThat(w).contains("5940.0 ms"));
  }

  @Test
  void with_an_unknown_clock_offset_engine_times_are_not_trusted() {
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host2", at(4930))),
        Optional.of(at(4929)), ClockOffset.unknown("host2", "no /info"), List.of());

    assertThat(f.window()).isEqualTo(KILL.window());
    assertThat(f.warnings()).anySatisfy(w -> assertThat(w).contains("cannot be placed", "no /info"));
  }

  @Test
  void an_engine_time_before_the_command_was_issued_is_flagged() {
    FaultInstant f = FaultInstants.fromEngine("kill orderer3", "die", KILL, Optional.of(die("host2", at(-900))),
        Optional.empty(), SAME, List.of());

    assertThat(f.warnings()).anySatisfy(w -> assertThat(w).contains("899.0 ms before", "clock offset of host2"));
  }

  @Test
  void the_last_of_several_kills_lies_between_the_latest_bounds() {
    FaultInstant a = FaultInstant.exact("kill o2", at(100), "engine die event");
    FaultInstant b = new FaultInstant("kill o3", new Window(at(180), at(260)), "engine die event", List.of(), null,
        List.of(), List.of("w"), List.of());
    FaultInstant c = new FaultInstant("kill o4", new Window(at(200), at(240)), "State.FinishedAt", List.of(), null,
        List.of(), List.of(), List.of());

    FaultInstant all = FaultInstants.lastOf("3 of 7 down", List.of(a, b, c));

    assertThat(all.window()).isEqualTo(new Window(at(200), at(260)));
    assertThat(all.source()).isEqualTo("the last of 3: engine die event / State.FinishedAt");
    assertThat(all.warnings()).containsExactly("kill o3: w");
  }

  // --- cuts and heals from probes ------------------------------------------------------------

  private static final CommandSpan ISOLATE = new CommandSpan("isolate host2", at(0), at(4200));

  private static ProbeRecord probe(String phase, String target, long sentMs, long doneMs, boolean ok) {
    return new ProbeRecord(phase, target, at(sentMs), at(doneMs), ok);
  }

  @Test
  void a_cut_lies_between_the_rule_change_and_the_first_failed_probe() {
    CutLog log = new CutLog("host2", ISOLATE, at(3004), at(3010), null, List.of(
        probe("before", "10.77.0.1:7946", 2990, 2998, true),
        probe("after", "10.77.0.1:7946", 3012, 3212, false)), List.of(), List.of());

    FaultInstant f = FaultInstants.cut("isolate host2", log, SAME);

    assertThat(f.source()).isEqualTo("first failed probe across the cut");
    // later of (last success 2998, rules start 3004) − 1 ms … first failure 3012 + 1 ms
    assertThat(f.window()).isEqualTo(new Window(at(3003), at(3013)));
    assertThat(f.warnings()).isEmpty();
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).contains("inserted between -9.0 ms and -3.0 ms"));
  }

  @Test
  void with_several_other_hosts_the_cut_is_complete_when_the_last_one_is_unreachable() {
    CutLog log = new CutLog("host2", ISOLATE, at(3004), at(3020), null, List.of(
        probe("before", "10.77.0.1:7946", 2990, 2998, true),
        probe("before", "10.77.0.3:7946", 2980, 2985, true),
        probe("after", "10.77.0.1:7946", 3022, 3222, false),
        probe("after", "10.77.0.3:7946", 3021, 3025, true),
        probe("after", "10.77.0.3:7946", 3045, 3245, false)), List.of(), List.of());

    FaultInstant f = FaultInstants.cut("isolate host2", log, SAME);

    assertThat(f.window()).isEqualTo(new Window(at(3003), at(3046)));
  }

  @Test
  void a_cut_no_probe_confirms_falls_back_to_the_rule_change_with_a_warning() {
    CutLog log = new CutLog("host2", ISOLATE, at(3004), at(3010), null, List.of(
        probe("before", "10.77.0.1:7946", 2990, 2998, true),
        probe("after", "10.77.0.1:7946", 3012, 3014, true)), List.of(), List.of());

    FaultInstant f = FaultInstants.cut("isolate host2", log, SAME);

    assertThat(f.source()).isEqualTo("iptables rules inserted (not confirmed by a probe)");
    assertThat(f.window()).isEqualTo(new Window(at(3003), at(3011)));
    assertThat(f.warnings()).anySatisfy(w -> assertThat(w).contains("still succeeded", "not confirmed"));
  }

  @Test
  void a_heal_lies_between_the_rule_removal_and_the_first_successful_probe() {
    CommandSpan heal = new CommandSpan("heal host2", at(10_000), at(12_000));
    CutLog log = new CutLog("host3", heal, at(11_400), at(11_410), null, List.of(
        probe("before", "10.77.0.1:7946", 11_190, 11_390, false),
        probe("after", "10.77.0.1:7946", 11_412, 11_413, true)), List.of("-A INPUT -s 10.77.0.1 -j DROP"), List.of());

    FaultInstant f = FaultInstants.healed("heal host2", log, AHEAD);

    // host3 is 2 s ahead: 11 400 − 2000 − 3 … 11 413 − 2000 + 3
    assertThat(f.source()).isEqualTo("first successful probe across the cut");
    assertThat(f.window()).isEqualTo(new Window(at(9397), at(9416)));
  }

  @Test
  void a_heal_cannot_take_effect_before_the_last_rule_is_being_removed() {
    CommandSpan heal = new CommandSpan("heal host2", at(10_000), at(12_000));
    // removing the two rules took 600 ms; the second removal began at 11 900
    CutLog log = new CutLog("host2", heal, at(11_400), at(12_000), at(11_900), List.of(
        probe("before", "10.77.7.1:7946", 10_100, 11_300, false),
        probe("after", "10.77.7.1:7946", 12_010, 12_150, true)), List.of(), List.of());

    FaultInstant f = FaultInstants.healed("heal host2", log, SAME);

    assertThat(f.window()).isEqualTo(new Window(at(11_899), at(12_151)));
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).contains("the last rule's removal"));
  }

  @Test
  void a_host_without_probe_tools_gives_only_the_rule_change_and_says_why() {
    CutLog log = new CutLog("host2", ISOLATE, at(3004), at(3010), null, List.of(), List.of(),
        List.of("raftswarm-probe after 10.77.0.1:7946 1714563329.N 1714563329.N fail"));

    FaultInstant f = FaultInstants.cut("isolate host2", log, SAME);

    assertThat(f.window()).isEqualTo(new Window(at(3003), at(3011)));
    assertThat(f.warnings()).anySatisfy(w -> assertThat(w).contains("unreadable probe output"))
        .anySatisfy(w -> assertThat(w).contains("no probe"));
  }
}
