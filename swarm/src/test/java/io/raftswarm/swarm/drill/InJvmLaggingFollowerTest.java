package io.raftswarm.swarm.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.drill.fault.HostShell;
import io.raftswarm.swarm.drill.report.DrillReport;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.report.TextReport;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lagging-follower drill against three real orderers in this JVM that snapshot every 20 Raft
 * entries: a killed follower stays down until the other two purged the entries it misses, comes
 * back and catches up by pulling blocks. (Cutting a follower off needs iptables in a container's
 * network namespace: the lab test runs that mode.)
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class InJvmLaggingFollowerTest {
  @TempDir Path dir;
  private InJvmCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new InJvmCluster(dir, 3, Map.of("ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES", "20"));
    cluster.startAll();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void a_follower_killed_until_the_others_purged_its_entries_catches_up_by_pulling_blocks_and_the_drill_passes()
      throws Exception {
    DrillSettings settings = new DrillSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ofSeconds(15), Duration.ofSeconds(60), 100, Duration.ofMinutes(3));
    StringWriter progress = new StringWriter();
    DrillReport report;
    try (DrillSetup setup = new DrillSetup(cluster.profile(), cluster.user(),
        HostShell.none("in-JVM orderers run no shell commands"), cluster, cluster, settings, Clock.systemUTC())) {
      var sampler = setup.sampler();
      Awaitility.await("a leader").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> Timings.leaderAt(sampler.pollOnce().values(), InJvmCluster.CHANNEL).isPresent());
      report = setup.runner(new PrintWriter(progress), ZoneOffset.UTC).run(
          new LaggingFollowerDrill(LaggingFollowerDrill.Lag.KILL, null, null, Duration.ofSeconds(90)));
    }
    String text = new TextReport(ZoneOffset.UTC).render(report) + "\n" + progress;

    assertThat(report.drill()).isEqualTo("lagging-follower");
    assertThat(report.pass()).as(text).isTrue();
    assertThat(report.verdict().acknowledged()).as(text).isPositive();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.expectations()).as(text).extracting(Expectation::description)
        .anyMatch(d -> d.startsWith("every other orderer purged its Raft log past"))
        .anyMatch(d -> d.startsWith("no leader change on mychannel"))
        .anyMatch(d -> d.contains("catches up after it is restarted"));
    assertThat(report.expectations()).as(text).allMatch(Expectation::met);
    assertThat(report.timings()).as(text).filteredOn(t -> t.name().equals("lag → others purged past it"))
        .singleElement().matches(Timing::observed, "purge observed");
    assertThat(report.timings()).as(text).filteredOn(t -> t.name().equals("catch-up"))
        .singleElement().matches(Timing::observed, "catch-up observed");
    assertThat(report.instants()).extracting(i -> i.source()).containsExactly("State.FinishedAt", "engine start event");
    assertThat(cluster.commands).anyMatch(c -> c.startsWith("kill ")).anyMatch(c -> c.startsWith("start "));
  }
}
