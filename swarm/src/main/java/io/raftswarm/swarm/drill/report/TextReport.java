package io.raftswarm.swarm.drill.report;

import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadSummary;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.verdict.Finding;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/** The report as plain text for the terminal. */
public final class TextReport {
  private final ZoneId zone;

  public TextReport(ZoneId zone) {
    this.zone = zone;
  }

  public String render(DrillReport r) {
    StringBuilder out = new StringBuilder();
    out.append("raftswarm drill ").append(r.drill());
    if (!r.network().isEmpty()) {
      out.append(" — ").append(r.network());
    }
    out.append(" — ").append(r.pass() ? "PASS" : "FAIL").append('\n');
    if (!r.description().isEmpty()) {
      out.append(r.description()).append('\n');
    }
    out.append(Format.clock(r.started(), zone)).append(" → ").append(Format.clock(r.finished(), zone))
        .append(" (").append(Format.duration(Duration.between(r.started(), r.finished()))).append(")\n");

    if (!r.timeline().events().isEmpty()) {
      out.append("\nEvents\n");
      for (DrillEvent e : r.timeline().events()) {
        out.append(String.format(Locale.ROOT, "  %-10s %-8s %s%n",
            Format.offset(r.started(), e.at()), e.kind(), e.description()));
      }
    }
    if (!r.instants().isEmpty()) {
      out.append("\nFault instants (timings are measured from these; from a window's end, ranges reach back to its start)\n");
      for (FaultInstant f : r.instants()) {
        out.append("  ").append(f.label()).append('\n');
        out.append("      ").append(Format.when(f, zone)).append(" — ").append(f.source()).append('\n');
        f.clocks().forEach(c -> out.append("      clock: ").append(c.describe()).append('\n'));
        f.notes().forEach(n -> out.append("      ").append(n).append('\n'));
        f.warnings().forEach(w -> out.append("      warning: ").append(w).append('\n'));
      }
    }
    if (!r.expectations().isEmpty()) {
      out.append("\nExpectations\n");
      for (Expectation e : r.expectations()) {
        out.append("  ").append(e.met() ? "✔ " : "✘ ").append(e.description());
        if (!e.observed().isEmpty()) {
          out.append(" — ").append(e.observed());
        }
        out.append('\n');
      }
    }
    if (!r.timings().isEmpty()) {
      out.append("\nTimings\n");
      for (Timing t : r.timings()) {
        out.append(String.format(Locale.ROOT, "  %-28s %-12s %-26s %s%n",
            t.name(), t.channel(), Format.value(t), (t.from().isEmpty() ? "" : "from " + t.from() + ": ") + t.note()));
      }
    }
    if (r.load() != null) {
      appendLoad(out, r.load());
    }
    appendVerdict(out, r.verdict());
    return out.toString();
  }

  private static void appendLoad(StringBuilder out, LoadSummary l) {
    LoadSummary.Counts c = l.total();
    out.append("\nLoad\n");
    out.append(String.format(Locale.ROOT,
        "  sent %d: %d acknowledged, %d rejected, %d errors, %d unanswered; %.1f acks/s%n",
        c.sent(), c.succeeded(), c.rejected(), c.errors(), c.noAnswer(), l.ackedPerSecond()));
    LoadSummary.Latency lat = l.ackLatency();
    if (lat.count() > 0) {
      out.append("  send → SUCCESS latency: p50 ").append(Format.ms(lat.p50Ms()))
          .append(", p99 ").append(Format.ms(lat.p99Ms()))
          .append(", max ").append(Format.ms(lat.maxMs())).append('\n');
    }
    if (l.skippedReconnecting() + l.skippedInFlight() > 0) {
      out.append("  not sent: ").append(l.skippedReconnecting()).append(" while reconnecting, ")
          .append(l.skippedInFlight()).append(" with too many answers outstanding\n");
    }
    l.failureReasons().forEach((reason, n) -> out.append("  ").append(n).append(" × ").append(reason).append('\n'));
    out.append(String.format(Locale.ROOT, "  %-28s %6s %6s %6s %6s %6s%n",
        "orderer", "sent", "ack", "rej", "err", "none"));
    l.perOrderer().forEach((o, k) -> out.append(String.format(Locale.ROOT,
        "  %-28s %6d %6d %6d %6d %6d%n", o, k.sent(), k.succeeded(), k.rejected(), k.errors(),
        k.noAnswer())));
  }

  private static void appendVerdict(StringBuilder out, SafetyVerdict v) {
    out.append("\nSafety verdict: ").append(v.pass() ? "PASS" : "FAIL").append('\n');
    out.append(String.format(Locale.ROOT,
        "  %d acknowledged txs: %d exactly once, %d lost, %d duplicated; %d committed without an ack%n",
        v.acknowledged(), v.committedOnce(), v.lost(), v.duplicated(), v.committedWithoutAck()));
    v.agreedHeights().forEach((ch, h) ->
        out.append("  ").append(ch).append(": agreed chain height ").append(h).append('\n'));
    for (Finding f : v.findings()) {
      out.append("  ").append(f.severity()).append(' ').append(f.message()).append('\n');
    }
  }
}
