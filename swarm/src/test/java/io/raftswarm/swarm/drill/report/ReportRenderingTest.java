package io.raftswarm.swarm.drill.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.drill.clock.ClockOffset;
import io.raftswarm.swarm.drill.clock.ClockReading;
import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.EngineEvent;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.FaultInstants;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.load.LoadSummary;
import io.raftswarm.swarm.drill.load.TxOutcome;
import io.raftswarm.swarm.drill.load.TxRecord;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.verdict.Finding;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportRenderingTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  private static final List<String> ORDERERS = List.of("orderer.example.com", "orderer2.example.com");

  private static Timeline timeline() {
    List<StatusSample> samples = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      Instant at = T0.plusMillis(100L * r);
      for (int i = 0; i < 2; i++) {
        String node = ORDERERS.get(i);
        if (i == 0 && r >= 5 && r < 10) {
          samples.add(new StatusSample(at, node, null, "connection refused <killed>"));
          continue;
        }
        int leader = r < 5 ? 1 : (r < 8 ? 0 : 2);
        samples.add(new StatusSample(at, node, new OrdererStatus(node, List.of(new OrdererChannelStatus(
            "mychannel", i + 1, leader == i + 1 ? "LEADER" : "FOLLOWER", leader, leader == 1 ? 1 : 2,
            3 + r / 4, "h", r, 1, leader == 1 ? 1 : 2))), null));
      }
    }
    return new Timeline(T0, T0.plusSeconds(2), ORDERERS, List.of("mychannel"),
        Map.of(1, ORDERERS.get(0), 2, ORDERERS.get(1)), samples, List.of(
            new DrillEvent(T0.plusMillis(500), DrillEvent.Kind.FAULT, "kill -9 orderer.example.com",
                List.of("orderer.example.com")),
            new DrillEvent(T0.plusMillis(1000), DrillEvent.Kind.RESTART, "start orderer.example.com",
                List.of("orderer.example.com"))));
  }

  private static DrillReport report(SafetyVerdict verdict, boolean expectationMet) {
    LoadResult load = new LoadResult(T0, T0.plusSeconds(2), List.of(
        new TxRecord("t1", "mychannel", ORDERERS.get(1), T0.plusMillis(100), TxOutcome.SUCCESS,
            T0.plusMillis(150), ""),
        new TxRecord("t2", "mychannel", ORDERERS.get(1), T0.plusMillis(600), TxOutcome.REJECTED,
            T0.plusMillis(601), "SERVICE_UNAVAILABLE")), 0, 0);
    return new DrillReport("kill-leader", "first-network", "killed the leader <of> mychannel",
        T0, T0.plusSeconds(2),
        List.of(new Expectation("a new leader is elected", expectationMet, "orderer2 after 300 ms")),
        List.of(Timing.since("election", "mychannel", KILL, T0.plusMillis(800), "seen in /status"),
            new Timing("catch-up", "mychannel", Duration.ofMillis(900), 12.5, "3 → 7"),
            Timing.notObserved("heal → converged", "", "never")),
        List.of(KILL), LoadSummary.of(load), verdict, timeline());
  }

  /** The kill: engine die event on host2, whose clock is 1.5 ms ahead, known to ± 2 ms. */
  private static final ClockOffset HOST2 = new ClockOffset("host2", true, Duration.ofNanos(1_500_000),
      Duration.ofMillis(2), "5 /info SystemTime readings", List.of(new ClockReading(T0, T0.plusMillis(2), T0.plusMillis(4))));
  private static final FaultInstant KILL = FaultInstants.fromEngine("kill orderer.example.com", "die",
      new CommandSpan("docker kill --signal KILL orderer.example.com", T0.plusMillis(100), T0.plusMillis(1200)),
      Optional.of(EngineEvent.ofNanos("host2", "orderer.example.com", "die",
          (T0.getEpochSecond() * 1000 + 501) * 1_000_000L + 500_000)),
      Optional.empty(), HOST2, List.of());

  private static SafetyVerdict passing() {
    return new SafetyVerdict(List.of(), 1, 1, 0, 0, 0, Map.of("mychannel", 8L));
  }

  private static SafetyVerdict failing() {
    return new SafetyVerdict(List.of(new Finding(Finding.Severity.FAIL, Finding.Check.CHAIN_INTEGRITY,
        "mychannel", 17, List.of("orderer4.example.com"),
        "orderer4.example.com mychannel block [17] data hashes to 3fa… but its header says 9c1…")),
        1, 1, 0, 0, 0, Map.of("mychannel", 8L));
  }

  @Test
  void text_report_shows_result_events_timings_load_and_verdict() {
    String text = new TextReport(ZoneOffset.UTC).render(report(passing(), true));

    assertThat(text).startsWith("raftswarm drill kill-leader — first-network — PASS")
        .contains("12:00:00.000 → 12:00:02.000")
        .contains("+0.500 s", "FAULT", "kill -9 orderer.example.com")
        .contains("✔ a new leader is elected")
        .contains("election", "12.5 blocks/s", "not observed")
        .contains("Fault instants", "kill orderer.example.com", "12:00:00.498 … 12:00:00.502 (window 4.0 ms) — engine die event",
            "clock: host2 clock, offset +1.500 ms ± 2.000 ms applied")
        .contains("298–302 ms", "from kill orderer.example.com: seen in /status")
        .contains("sent 2: 1 acknowledged, 1 rejected")
        .contains("Safety verdict: PASS", "1 acknowledged txs: 1 exactly once, 0 lost, 0 duplicated");
  }

  @Test
  void a_failed_verdict_or_unmet_expectation_makes_the_report_fail() {
    assertThat(report(failing(), true).pass()).isFalse();
    assertThat(report(passing(), false).pass()).isFalse();
    assertThat(new TextReport(ZoneOffset.UTC).render(report(failing(), true)))
        .contains("— FAIL", "Safety verdict: FAIL", "FAIL orderer4.example.com mychannel block [17]");
    assertThat(new TextReport(ZoneOffset.UTC).render(report(passing(), false))).contains("✘ a new leader");
  }

  @Test
  void json_report_carries_result_timings_and_findings() throws Exception {
    JsonNode json = new ObjectMapper().readTree(new JsonReport(true).render(report(failing(), true)));

    assertThat(json.get("result").asText()).isEqualTo("FAIL");
    assertThat(json.get("started").asText()).isEqualTo("2024-05-01T12:00:00Z");
    assertThat(json.at("/timings/0/millis").asLong()).isEqualTo(298);
    assertThat(json.at("/timings/0/millisMax").asLong()).isEqualTo(302);
    assertThat(json.at("/timings/0/from").asText()).isEqualTo("kill orderer.example.com");
    assertThat(json.at("/instants/0/source").asText()).isEqualTo("engine die event");
    assertThat(json.at("/instants/0/earliest").asText()).isEqualTo("2024-05-01T12:00:00.498Z");
    assertThat(json.at("/instants/0/latest").asText()).isEqualTo("2024-05-01T12:00:00.502Z");
    assertThat(json.at("/instants/0/clocks/0/offsetMicros").asLong()).isEqualTo(1500);
    assertThat(json.at("/instants/0/clocks/0/readings/0/remote").asText()).isEqualTo("2024-05-01T12:00:00.002Z");
    assertThat(json.at("/instants/0/command/returned").asText()).isEqualTo("2024-05-01T12:00:01.200Z");
    assertThat(json.at("/instants/0/evidence")).anySatisfy(e -> {
      assertThat(e.get("name").asText()).isEqualTo("die event timeNano");
      assertThat(e.get("raw").asText()).isEqualTo("1714564800501500000");
      assertThat(e.get("clock").asText()).isEqualTo("host2");
    });
    assertThat(json.at("/timings/1/blocksPerSecond").asDouble()).isEqualTo(12.5);
    assertThat(json.at("/timings/2/millis").isNull()).isTrue();
    assertThat(json.at("/verdict/findings/0/block").asLong()).isEqualTo(17);
    assertThat(json.at("/verdict/findings/0/nodes/0").asText()).isEqualTo("orderer4.example.com");
    assertThat(json.at("/load/total/rejected").asInt()).isEqualTo(1);
    assertThat(json.get("samples")).hasSize(40);
    // the raw samples carry what the timings were computed from, the newest block's term included
    assertThat(json.at("/samples/0/channels/0/lastBlockTerm").asLong()).isEqualTo(1);
    assertThat(json.at("/samples/39/channels/0/lastBlockTerm").asLong()).isEqualTo(2);
    // and when each was asked for and answered (the orderer read its state in between)
    assertThat(json.at("/samples/0/answeredAt").asText()).isNotEmpty().isGreaterThanOrEqualTo(json.at("/samples/0/at").asText());
  }

  @Test
  void html_report_is_self_contained_with_an_svg_timeline_and_escaped_text() {
    String html = new HtmlReport(ZoneOffset.UTC).render(report(passing(), true));

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", "</html>")
        .doesNotContain("<script", "http://", "https://", " src=")
        .contains("leader of mychannel")
        .contains("<polyline")
        .contains("stroke=\"#b22222\"") // the fault mark
        .contains("killed the leader &lt;of&gt; mychannel")
        .contains("connection refused &lt;killed&gt;")
        .doesNotContain("<killed>")
        .contains("class=\"pass\">PASS")
        .contains("<h2>Fault instants</h2>", "engine die event", "298–302 ms");
    // leader lane: orderer (first colour) before the kill, none during, orderer2 after
    assertThat(html).contains("orderer.example.com (term 1)", "no leader", "orderer2.example.com (term 2)");
  }
}
