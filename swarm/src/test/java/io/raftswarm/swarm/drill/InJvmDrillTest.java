package io.raftswarm.swarm.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.drill.fault.HostShell;
import io.raftswarm.swarm.drill.fault.LedgerTamper;
import io.raftswarm.swarm.drill.load.LoadGenerator;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.load.LoadSummary;
import io.raftswarm.swarm.drill.report.DrillReport;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.report.TextReport;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.verdict.Finding;
import io.raftswarm.swarm.drill.verdict.SafetyChecker;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drills against three real orderers in this JVM: the whole kill-leader frame (load, sampling,
 * fault, restart, convergence, Deliver-based verdict), and a ledger file tampered on disk that
 * the verdict must catch.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class InJvmDrillTest {
  @TempDir Path dir;
  private InJvmCluster cluster;

  private static DrillSettings fast() {
    return new DrillSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ofSeconds(15), Duration.ofSeconds(30), 20, Duration.ofMinutes(3));
  }

  @BeforeEach
  void start() throws Exception {
    cluster = new InJvmCluster(dir, 3);
    cluster.startAll();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private DrillSetup setup() {
    return new DrillSetup(cluster.profile(), cluster.user(), HostShell.none("in-JVM orderers run no shell commands"),
        cluster, cluster, fast(), Clock.systemUTC());
  }

  private void awaitLeader(DrillSetup setup) {
    var sampler = setup.sampler();
    Awaitility.await("a leader of mychannel").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> io.raftswarm.swarm.drill.timeline.Timings
            .leaderAt(sampler.pollOnce().values(), InJvmCluster.CHANNEL).isPresent());
  }

  @Test
  void when_the_leader_is_killed_and_restarted_then_no_acknowledged_tx_is_lost_and_the_drill_passes()
      throws Exception {
    StringWriter progress = new StringWriter();
    DrillReport report;
    try (DrillSetup setup = setup()) {
      awaitLeader(setup);
      report = setup.runner(new PrintWriter(progress), ZoneOffset.UTC).run(new KillLeaderDrill(null, false));
    }
    String text = new TextReport(ZoneOffset.UTC).render(report);

    assertThat(report.verdict().pass()).as(text).isTrue();
    assertThat(report.verdict().acknowledged()).as(text).isPositive();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().duplicated()).isZero();
    assertThat(report.verdict().committedOnce()).isEqualTo(report.verdict().acknowledged());
    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
    assertThat(report.timings()).as(text).filteredOn(t -> t.name().equals("election"))
        .singleElement().matches(Timing::observed, "election observed");
    assertThat(cluster.commands).anyMatch(c -> c.startsWith("kill "))
        .anyMatch(c -> c.startsWith("start "));
    // the fault instant comes from the (in-JVM) engine's record of the exit, and the timings from it
    assertThat(report.instants()).as(text).hasSize(2);
    assertThat(report.instants().get(0).source()).isEqualTo("State.FinishedAt");
    assertThat(report.instants().get(0).notes()).as(text).anySatisfy(n -> assertThat(n).contains("die event"));
    assertThat(report.instants().get(0).label()).startsWith("kill ");
    assertThat(report.instants().get(0).warnings()).as(text).isEmpty();
    assertThat(report.instants().get(1).source()).isEqualTo("engine start event");
    assertThat(report.timings()).filteredOn(t -> t.name().equals("election"))
        .singleElement().matches(t -> t.from().equals(report.instants().get(0).label()), "measured from the kill");
    assertThat(text).contains("Fault instants", "State.FinishedAt");
    assertThat(report.pass()).as(text).isTrue();
  }

  private DrillReport run(Drill drill) throws Exception {
    try (DrillSetup setup = setup()) {
      awaitLeader(setup);
      return setup.runner(new PrintWriter(new StringWriter()), ZoneOffset.UTC).run(drill);
    }
  }

  @Test
  void the_stop_leader_drill_measures_from_the_sigterm_and_ends_with_a_safety_verdict() throws Exception {
    DrillReport report = run(new KillLeaderDrill(null, true));
    String text = new TextReport(ZoneOffset.UTC).render(report);

    assertThat(report.drill()).isEqualTo("stop-leader");
    assertThat(report.verdict().pass()).as(text).isTrue();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().duplicated()).isZero();
    assertThat(cluster.commands).anyMatch(c -> c.startsWith("stop -t 10 "));
    assertThat(report.instants()).extracting(i -> i.source())
        .containsExactly("engine kill event", "engine start event");
    assertThat(report.timings()).as(text).extracting(Timing::name)
        .contains("election", "next block", "unavailability", "catch-up");
    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
  }

  @Test
  void the_freeze_leader_drill_measures_from_the_pause_event_and_ends_with_a_safety_verdict() throws Exception {
    // in-JVM a pause is a stop and an unpause a start (see InJvmCluster): this checks the drill's
    // wiring, instants and verdict, not the gray failure, which only a real engine can do
    DrillReport report = run(new SilentLeaderDrill(SilentLeaderDrill.Silence.FREEZE, null));
    String text = new TextReport(ZoneOffset.UTC).render(report);

    assertThat(report.verdict().pass()).as(text).isTrue();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.instants()).extracting(i -> i.source())
        .containsExactly("engine pause event", "engine unpause event");
    assertThat(report.timings()).as(text).extracting(Timing::name)
        .contains("election", "next block", "thaw → old leader steps down", "catch-up");
    assertThat(cluster.commands).anyMatch(c -> c.startsWith("pause ")).anyMatch(c -> c.startsWith("unpause "));
    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
  }

  @Test
  void a_change_that_succeeds_under_load_passes_with_the_verdict() throws Exception {
    Path networkJson = dir.resolve("network.json");
    cluster.profile().write(networkJson);
    DrillReport ok = run(new ChangeDrill(List.of("sh", "-c", "sleep 1; echo changed"), networkJson, List.of()));
    String text = new TextReport(ZoneOffset.UTC).render(ok);
    assertThat(ok.pass()).as(text).isTrue();
    assertThat(ok.verdict().acknowledged()).as(text).isPositive();
    assertThat(ok.expectations()).as(text).anyMatch(e -> e.description().equals("the change exits 0") && e.met());
    assertThat(ok.timings()).as(text).anyMatch(t -> t.name().equals("unavailability"));
    assertThat(ok.instants()).singleElement().matches(i -> i.source().contains("command"), "the command's run");
  }

  @Test
  void a_change_whose_command_fails_fails_the_drill_with_its_exit_code_and_output() throws Exception {
    Path networkJson = dir.resolve("network.json");
    cluster.profile().write(networkJson);
    DrillReport broken = run(new ChangeDrill(List.of("sh", "-c", "echo cannot reach host3; exit 3"), networkJson, List.of()));
    String brokenText = new TextReport(ZoneOffset.UTC).render(broken);
    assertThat(broken.pass()).as(brokenText).isFalse();
    assertThat(broken.expectations()).as(brokenText).anySatisfy(e -> {
      assertThat(e.met()).isFalse();
      assertThat(e.observed()).contains("exit 3", "cannot reach host3");
    });
  }

  @Test
  void a_change_that_removes_an_orderer_is_judged_on_the_network_it_leaves() throws Exception {
    Path networkJson = dir.resolve("network.json");
    NetworkProfile all = cluster.profile();
    all.write(networkJson);
    String gone = all.orderers().get(2).name();
    NetworkProfile without = new NetworkProfile(all.name(), all.domain(), all.cryptoDir(), all.channels(), all.hosts(),
        all.nodes().stream().filter(n -> !n.name().equals(gone)).toList(), all.orgs(), all.runId(), all.images());
    Path shrunk = dir.resolve("shrunk.json");
    without.write(shrunk);
    // The "change" stops the third orderer for good and rewrites network.json without it.
    String stop = "cp " + shrunk + " " + networkJson;
    DrillReport report;
    try (DrillSetup setup = setup()) {
      awaitLeader(setup);
      ChangeDrill change = new ChangeDrill(List.of("sh", "-c", stop), networkJson, List.of(all.orderers().get(0).name()));
      report = setup.runner(new PrintWriter(new StringWriter()), ZoneOffset.UTC).run(new Drill() {
        @Override
        public String name() {
          return change.name();
        }

        @Override
        public List<String> loadTargets(DrillContext ctx) {
          return change.loadTargets(ctx);
        }

        @Override
        public void execute(DrillContext ctx) throws InterruptedException {
          cluster.stop(gone);
          change.execute(ctx);
        }

        @Override
        public Optional<NetworkProfile> profileAfter() {
          return change.profileAfter();
        }

        @Override
        public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
          return change.conclude(ctx, timeline, load);
        }
      });
    }
    String text = new TextReport(ZoneOffset.UTC).render(report);
    assertThat(report.pass()).as(text).isTrue();
    assertThat(report.verdict().acknowledged()).as(text).isPositive();
    assertThat(report.verdict().lost()).isZero();
    assertThat(text).contains("the network now has 2 orderers");
  }

  @Test
  void when_every_orderer_is_stopped_and_started_then_the_chain_is_intact_and_ordering_resumes()
      throws Exception {
    DrillReport report = run(new RestartAllDrill(false));
    String text = new TextReport(ZoneOffset.UTC).render(report);

    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
    assertThat(report.verdict().pass()).as(text).isTrue();
    assertThat(report.verdict().lost()).isZero();
    assertThat(cluster.commands).anyMatch(c -> c.startsWith("stop -t 10 "));
  }

  @Test
  void when_every_orderer_is_killed_at_once_under_load_then_every_acknowledged_tx_survives() throws Exception {
    DrillReport report = run(new RestartAllDrill(true));
    String text = new TextReport(ZoneOffset.UTC).render(report);

    assertThat(report.drill()).isEqualTo("kill-all");
    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
    assertThat(report.verdict().pass()).as(text).isTrue();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().duplicated()).isZero();
    assertThat(cluster.commands).anyMatch(c -> c.startsWith("kill ")).noneMatch(c -> c.startsWith("stop "));
  }

  @Test
  void when_a_minority_is_killed_it_commits_and_without_quorum_it_stops_then_recovers() throws Exception {
    DrillReport report = run(new KillMinorityDrill());
    String text = new TextReport(ZoneOffset.UTC).render(report);

    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
    assertThat(report.verdict().pass()).as(text).isTrue();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().duplicated()).isZero();
  }

  @Test
  void when_an_orderers_ledger_file_is_tampered_then_the_verdict_fails_naming_that_block_and_node()
      throws Exception {
    try (DrillSetup setup = setup()) {
      awaitLeader(setup);
      LoadResult load;
      try (LoadGenerator gen = setup.load(List.of("orderer.example.com", "orderer2.example.com"))) {
        gen.start();
        Awaitility.await("some acknowledged load").atMost(Duration.ofSeconds(30))
            .until(() -> setup.sampler().pollOnce().values().stream().allMatch(s -> s.reachable()
                && s.status().channel(InJvmCluster.CHANNEL).map(c -> c.height() > 3).orElse(false)));
        gen.stop();
        load = gen.done().get(30, TimeUnit.SECONDS);
      }
      var faultless = new SafetyChecker(ZoneOffset.UTC).check(setup.collection()
          .collect(LoadSummary.acknowledged(load), LoadSummary.unacknowledged(load)));
      assertThat(faultless.pass()).as(faultless.findings().toString()).isTrue();
      assertThat(faultless.agreedHeights().get(InJvmCluster.CHANNEL)).isGreaterThan(2);

      cluster.stop("orderer3.example.com");
      LedgerTamper.flipByteInBlock(cluster.ledgerFile("orderer3.example.com"), 1);
      cluster.start("orderer3.example.com");
      Awaitility.await("orderer3 serving Deliver again").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300)).ignoreExceptions()
          .until(() -> setup.collection().collect(List.of(), Set.of()).gaps().isEmpty());

      SafetyVerdict v = new SafetyChecker(ZoneOffset.UTC).check(setup.collection()
          .collect(LoadSummary.acknowledged(load), LoadSummary.unacknowledged(load)));

      assertThat(v.pass()).isFalse();
      assertThat(v.failures()).anySatisfy(f -> {
        assertThat(f.check()).isEqualTo(Finding.Check.CHAIN_INTEGRITY);
        assertThat(f.block()).isEqualTo(1);
        assertThat(f.nodes()).containsExactly("orderer3.example.com");
        assertThat(f.message()).contains("orderer3.example.com mychannel block [1]");
      });
    }
  }
}
