package io.raftswarm.swarm.drill.report;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.drill.verdict.Finding;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML file (no scripts, no external resources): verdict,
 * expectations, timings, and a timeline drawn in inline SVG — leader per channel, block height
 * per orderer, orderer reachability — with the drill's fault/heal/restart marks.
 */
public final class HtmlReport {
  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };
  private static final int LEFT = 190;
  private static final int PLOT = 880;
  private static final int WIDTH = LEFT + PLOT + 20;

  private final ZoneId zone;

  public HtmlReport(ZoneId zone) {
    this.zone = zone;
  }

  public String render(DrillReport r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>raftswarm drill ")
        .append(esc(r.drill())).append(" — ").append(r.pass() ? "PASS" : "FAIL").append("</title>\n")
        .append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:14px}")
        .append(".pass{color:#fff;background:#2a7d2a;padding:2px 10px;border-radius:4px}")
        .append(".fail{color:#fff;background:#b22222;padding:2px 10px;border-radius:4px}")
        .append(".warn{color:#8a6d00}svg{display:block;margin:6px 0 18px}")
        .append("pre{background:#f6f6f6;padding:8px;overflow-x:auto}</style></head><body>\n");
    h.append("<h1>raftswarm drill ").append(esc(r.drill())).append(" <span class=\"")
        .append(r.pass() ? "pass\">PASS" : "fail\">FAIL").append("</span></h1>\n");
    h.append("<p>").append(esc(r.network())).append(" · ").append(esc(r.description())).append("<br>")
        .append(Format.clock(r.started(), zone)).append(" → ").append(Format.clock(r.finished(), zone))
        .append(" (").append(Format.duration(Duration.between(r.started(), r.finished()))).append(")</p>\n");

    verdict(h, r);
    if (!r.instants().isEmpty()) {
      h.append("<h2>Fault instants</h2><p>When each fault took effect, proven from the fault itself; timings are"
          + " measured from these (from a window's end, ranges reach back to its start).</p>\n"
          + "<table><tr><th>instant</th><th>when</th><th>source</th><th>clock</th><th>cross-checks</th></tr>\n");
      for (FaultInstant f : r.instants()) {
        h.append("<tr><td>").append(esc(f.label())).append("</td><td>").append(esc(Format.when(f, zone)))
            .append("</td><td>").append(esc(f.source())).append("</td><td>")
            .append(esc(String.join("; ", f.clocks().stream().map(c -> c.describe()).toList())))
            .append("</td><td>");
        f.notes().forEach(n -> h.append(esc(n)).append("<br>"));
        f.warnings().forEach(w -> h.append("<span class=\"warn\">warning: ").append(esc(w)).append("</span><br>"));
        h.append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    if (!r.expectations().isEmpty()) {
      h.append("<h2>Expectations</h2><table><tr><th></th><th>expected</th><th>observed</th></tr>\n");
      for (Expectation e : r.expectations()) {
        h.append("<tr><td>").append(e.met() ? "✔" : "✘").append("</td><td>").append(esc(e.description()))
            .append("</td><td>").append(esc(e.observed())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    if (!r.timings().isEmpty()) {
      h.append("<h2>Timings</h2><table><tr><th>measure</th><th>channel</th><th>value</th><th>from</th><th>how</th></tr>\n");
      for (Timing t : r.timings()) {
        h.append("<tr><td>").append(esc(t.name())).append("</td><td>").append(esc(t.channel()))
            .append("</td><td>").append(esc(Format.value(t))).append("</td><td>").append(esc(t.from()))
            .append("</td><td>").append(esc(t.note())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    timeline(h, r.timeline());
    h.append("<h2>Full text report</h2><pre>").append(esc(new TextReport(zone).render(r))).append("</pre>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void verdict(StringBuilder h, DrillReport r) {
    var v = r.verdict();
    h.append("<h2>Safety verdict <span class=\"").append(v.pass() ? "pass\">PASS" : "fail\">FAIL")
        .append("</span></h2>\n<p>").append(v.acknowledged()).append(" acknowledged txs: ")
        .append(v.committedOnce()).append(" exactly once, ").append(v.lost()).append(" lost, ")
        .append(v.duplicated()).append(" duplicated; ").append(v.committedWithoutAck())
        .append(" committed without an ack. Agreed heights: ").append(esc(v.agreedHeights().toString()))
        .append("</p>\n");
    if (!v.findings().isEmpty()) {
      h.append("<ul>\n");
      for (Finding f : v.findings()) {
        h.append("<li class=\"").append(f.severity() == Finding.Severity.FAIL ? "fail-item" : "warn")
            .append("\"><b>").append(f.severity()).append("</b> ").append(esc(f.message())).append("</li>\n");
      }
      h.append("</ul>\n");
    }
  }

  private void timeline(StringBuilder h, Timeline t) {
    h.append("<h2>Timeline</h2>\n<p>");
    for (int i = 0; i < t.orderers().size(); i++) {
      h.append("<span style=\"color:").append(color(i)).append("\">■</span> ")
          .append(esc(t.orderers().get(i))).append(" &nbsp; ");
    }
    h.append("<br><span style=\"color:#b22222\">┆</span> fault &nbsp; <span style=\"color:#2a7d2a\">┆</span> heal"
        + " &nbsp; <span style=\"color:#1f5fbf\">┆</span> restart</p>\n");
    List<Instant> instants = t.instants();
    if (instants.isEmpty()) {
      h.append("<p>No status samples were recorded.</p>\n");
      return;
    }
    Scale x = new Scale(t.start(), t.end());
    Map<Instant, List<StatusSample>> rounds = t.samples().stream().collect(
        java.util.stream.Collectors.groupingBy(StatusSample::at, java.util.TreeMap::new,
            java.util.stream.Collectors.toList()));
    for (String channel : t.channels()) {
      leaderLane(h, t, channel, instants, rounds, x);
      heightChart(h, t, channel, x);
    }
    reachability(h, t, x);
  }

  private void leaderLane(StringBuilder h, Timeline t, String channel, List<Instant> instants,
      Map<Instant, List<StatusSample>> rounds, Scale x) {
    int height = 46;
    svgOpen(h, height, "leader of " + channel);
    h.append(text(4, 28, "leader of " + channel, "start"));
    // one rectangle per run of the same leader (not per sample) keeps the file small
    int i = 0;
    while (i < instants.size()) {
      Instant from = instants.get(i);
      var leader = Timings.leaderAt(rounds.get(from), channel);
      String key = leader.map(c -> c.consenterId() + "/" + c.term()).orElse("none");
      int j = i + 1;
      while (j < instants.size() && Timings.leaderAt(rounds.get(instants.get(j)), channel)
          .map(c -> c.consenterId() + "/" + c.term()).orElse("none").equals(key)) {
        j++;
      }
      Instant to = j < instants.size() ? instants.get(j) : t.end();
      String fill = leader.map(c -> color(t.orderers().indexOf(t.ordererName(c.consenterId()))))
          .orElse("#eeeeee");
      String title = leader.map(c -> t.ordererName(c.consenterId()) + " (term " + c.term() + ")")
          .orElse("no leader");
      h.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"12\" width=\"%.1f\" height=\"22\" fill=\"%s\"><title>%s–%s %s</title></rect>%n",
          x.at(from), Math.max(0.5, x.at(to) - x.at(from)), fill, esc(Format.clock(from, zone)),
          esc(Format.clock(to, zone)), esc(title)));
      i = j;
    }
    events(h, t, x, height);
    axis(h, t, x, height);
    h.append("</svg>\n");
  }

  private void heightChart(StringBuilder h, Timeline t, String channel, Scale x) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (StatusSample s : t.samples()) {
      if (s.reachable()) {
        long v = s.status().channel(channel).map(OrdererChannelStatus::height).orElse(-1L);
        if (v >= 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (min == Long.MAX_VALUE) {
      return;
    }
    int height = 240;
    int top = 14;
    int bottom = height - 26;
    long lo = min;
    long hi = Math.max(max, min + 1);
    svgOpen(h, height, "block height per orderer on " + channel);
    h.append(text(4, top + 4, "height " + hi, "start")).append(text(4, bottom, "height " + lo, "start"))
        .append(text(4, (top + bottom) / 2, channel, "start"));
    for (int i = 0; i < t.orderers().size(); i++) {
      String node = t.orderers().get(i);
      List<String> points = new ArrayList<>();
      for (StatusSample s : t.samplesOf(node)) {
        Long v = s.reachable() ? s.status().channel(channel).map(OrdererChannelStatus::height).orElse(null) : null;
        if (v == null) {
          polyline(h, points, color(i), node);
          points = new ArrayList<>();
          continue;
        }
        double y = bottom - (double) (v - lo) / (hi - lo) * (bottom - top) - i * 0.8; // offset keeps equal lines visible
        points.add(String.format(Locale.ROOT, "%.1f,%.1f", x.at(s.at()), y));
      }
      polyline(h, points, color(i), node);
    }
    events(h, t, x, height);
    axis(h, t, x, height);
    h.append("</svg>\n");
  }

  private void reachability(StringBuilder h, Timeline t, Scale x) {
    int row = 14;
    int height = t.orderers().size() * row + 34;
    svgOpen(h, height, "orderer reachability");
    for (int i = 0; i < t.orderers().size(); i++) {
      String node = t.orderers().get(i);
      int y = 6 + i * row;
      h.append(text(4, y + 10, node, "start"));
      List<StatusSample> samples = t.samplesOf(node);
      int k = 0;
      while (k < samples.size()) {
        StatusSample s = samples.get(k);
        int j = k + 1;
        while (j < samples.size() && samples.get(j).reachable() == s.reachable()) {
          j++;
        }
        Instant to = j < samples.size() ? samples.get(j).at() : t.end();
        h.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s–%s %s</title></rect>%n",
            x.at(s.at()), y, Math.max(0.5, x.at(to) - x.at(s.at())), row - 3,
            s.reachable() ? color(i) : "#dddddd", esc(Format.clock(s.at(), zone)),
            esc(Format.clock(to, zone)), esc(s.reachable() ? "reachable" : s.error())));
        k = j;
      }
    }
    events(h, t, x, height);
    axis(h, t, x, height);
    h.append("</svg>\n");
  }

  private void events(StringBuilder h, Timeline t, Scale x, int height) {
    for (DrillEvent e : t.events()) {
      String c = switch (e.kind()) {
        case FAULT -> "#b22222";
        case HEAL -> "#2a7d2a";
        case RESTART -> "#1f5fbf";
        case NOTE -> "#999999";
      };
      h.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"4 3\"><title>%s</title></line>%n",
          x.at(e.at()), x.at(e.at()), height - 20, c, esc(e.description())));
    }
  }

  private static void axis(StringBuilder h, Timeline t, Scale x, int height) {
    long totalMs = Math.max(1, Duration.between(t.start(), t.end()).toMillis());
    long step = niceStep(totalMs);
    for (long ms = 0; ms <= totalMs; ms += step) {
      double px = x.at(t.start().plusMillis(ms));
      h.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
              + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%ss</text>%n",
          px, px, height - 20, height - 16, px, height - 5, ms % 1000 == 0 ? ms / 1000 + "" : ms / 1000.0 + ""));
    }
  }

  private static long niceStep(long totalMs) {
    for (long s : new long[] {500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000}) {
      if (totalMs / s <= 12) {
        return s;
      }
    }
    return 600_000;
  }

  private static void svgOpen(StringBuilder h, int height, String label) {
    h.append("<svg width=\"").append(WIDTH).append("\" height=\"")
        .append(height).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\" font-size=\"12\">\n");
  }

  private static void polyline(StringBuilder h, List<String> points, String color, String node) {
    if (points.isEmpty()) {
      return;
    }
    if (points.size() == 1) {
      String[] xy = points.get(0).split(",");
      h.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"2\" fill=\"")
          .append(color).append("\"><title>").append(esc(node)).append("</title></circle>\n");
      return;
    }
    h.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(color).append("\" points=\"")
        .append(String.join(" ", points)).append("\"><title>").append(esc(node)).append("</title></polyline>\n");
  }

  private static String text(int x, int y, String s, String anchor) {
    return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>\n";
  }

  private static String color(int i) {
    return i < 0 ? "#000000" : PALETTE[i % PALETTE.length];
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Maps instants to x pixels in the plot area. */
  private record Scale(Instant start, Instant end) {
    double at(Instant t) {
      double total = Math.max(1, Duration.between(start, end).toMillis());
      double off = Duration.between(start, t).toMillis();
      return LEFT + Math.max(0, Math.min(1, off / total)) * PLOT;
    }
  }
}
