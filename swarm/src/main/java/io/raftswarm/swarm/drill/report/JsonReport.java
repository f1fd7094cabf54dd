package io.raftswarm.swarm.drill.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.drill.clock.ClockOffset;
import io.raftswarm.swarm.drill.clock.ClockReading;
import io.raftswarm.swarm.drill.clock.Evidence;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadSummary;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.verdict.Finding;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The report as JSON (for scripts and CI). Times are ISO-8601 UTC strings on the operator's
 * clock unless a "clock" field says otherwise; durations are milliseconds ({@code null} when not
 * observed). Fault instants carry their raw evidence (engine timestamps, probe times, clock
 * readings) so the arithmetic can be redone. With {@code includeSamples} the raw status samples
 * are included too.
 */
public final class JsonReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final boolean includeSamples;

  public JsonReport(boolean includeSamples) {
    this.includeSamples = includeSamples;
  }

  public String render(DrillReport r) {
    try {
      return JSON.writeValueAsString(tree(r));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the drill report as JSON", e);
    }
  }

  public ObjectNode tree(DrillReport r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("drill", r.drill());
    root.put("network", r.network());
    root.put("description", r.description());
    root.put("result", r.pass() ? "PASS" : "FAIL");
    root.put("started", iso(r.started()));
    root.put("finished", iso(r.finished()));
    ArrayNode events = root.putArray("events");
    for (DrillEvent e : r.timeline().events()) {
      ObjectNode n = events.addObject();
      n.put("at", iso(e.at()));
      n.put("kind", e.kind().name());
      n.put("description", e.description());
      e.nodes().forEach(n.putArray("nodes")::add);
    }
    ArrayNode instants = root.putArray("instants");
    r.instants().forEach(f -> instants.add(instant(f)));
    ArrayNode expectations = root.putArray("expectations");
    r.expectations().forEach(x -> expectations.addObject()
        .put("description", x.description()).put("met", x.met()).put("observed", x.observed()));
    ArrayNode timings = root.putArray("timings");
    for (Timing t : r.timings()) {
      ObjectNode n = timings.addObject();
      n.put("name", t.name());
      n.put("channel", t.channel());
      n.put("from", t.from());
      if (t.observed()) {
        // millis from the fault window's end; millisMax from its start (equal when exact)
        n.put("millis", t.value().toMillis());
        n.put("millisMax", (t.upTo() != null ? t.upTo() : t.value()).toMillis());
      } else {
        n.putNull("millis");
        n.putNull("millisMax");
      }
      if (!Double.isNaN(t.rate())) {
        n.put("blocksPerSecond", t.rate());
      }
      n.put("note", t.note());
    }
    if (r.load() != null) {
      root.set("load", load(r.load()));
    }
    root.set("verdict", verdict(r.verdict()));
    if (includeSamples) {
      ArrayNode samples = root.putArray("samples");
      for (StatusSample s : r.timeline().samples()) {
        ObjectNode n = samples.addObject().put("at", iso(s.at())).put("answeredAt", iso(s.answeredAt())).put("node", s.node());
        if (!s.reachable()) {
          n.put("error", s.error());
          continue;
        }
        ArrayNode chans = n.putArray("channels");
        for (OrdererChannelStatus c : s.status().channels()) {
          chans.addObject().put("channel", c.channel()).put("role", c.role())
              .put("leaderId", c.leaderId()).put("term", c.term()).put("height", c.height())
              .put("lastBlockTerm", c.lastBlockTerm());
        }
      }
    }
    return root;
  }

  private static ObjectNode instant(FaultInstant f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("label", f.label());
    n.put("source", f.source());
    n.put("earliest", iso(f.earliest()));
    n.put("latest", iso(f.latest()));
    n.put("reference", iso(f.reference()));
    n.put("windowMicros", f.width().toNanos() / 1000);
    ArrayNode clocks = n.putArray("clocks");
    for (ClockOffset c : f.clocks()) {
      ObjectNode cn = clocks.addObject().put("host", c.host()).put("known", c.known())
          .put("offsetMicros", c.offset().toNanos() / 1000).put("uncertaintyMicros", c.uncertainty().toNanos() / 1000)
          .put("method", c.method());
      ArrayNode readings = cn.putArray("readings");
      for (ClockReading reading : c.readings()) {
        readings.addObject().put("sent", iso(reading.sent())).put("remote", iso(reading.remote()))
            .put("received", iso(reading.received()));
      }
    }
    if (f.command() != null) {
      n.putObject("command").put("command", f.command().command()).put("issued", iso(f.command().issued()))
          .put("returned", iso(f.command().returned()));
    }
    f.notes().forEach(n.putArray("notes")::add);
    f.warnings().forEach(n.putArray("warnings")::add);
    ArrayNode evidence = n.putArray("evidence");
    for (Evidence e : f.evidence()) {
      evidence.addObject().put("name", e.name()).put("raw", e.raw())
          .put("at", e.at() == null ? null : iso(e.at())).put("clock", e.clock());
    }
    return n;
  }

  private static ObjectNode load(LoadSummary l) {
    ObjectNode n = JSON.createObjectNode();
    n.set("total", counts(l.total()));
    ObjectNode per = n.putObject("perOrderer");
    l.perOrderer().forEach((o, c) -> per.set(o, counts(c)));
    n.put("ackedPerSecond", l.ackedPerSecond());
    n.putObject("ackLatencyMillis").put("count", l.ackLatency().count())
        .put("p50", l.ackLatency().p50Ms()).put("p99", l.ackLatency().p99Ms())
        .put("max", l.ackLatency().maxMs());
    n.put("firstFailure", l.firstFailure() == null ? null : iso(l.firstFailure()));
    n.put("lastFailure", l.lastFailure() == null ? null : iso(l.lastFailure()));
    n.put("skippedReconnecting", l.skippedReconnecting());
    n.put("skippedInFlight", l.skippedInFlight());
    ObjectNode reasons = n.putObject("failureReasons");
    l.failureReasons().forEach(reasons::put);
    return n;
  }

  private static ObjectNode counts(LoadSummary.Counts c) {
    return JSON.createObjectNode().put("sent", c.sent()).put("acknowledged", c.succeeded())
        .put("rejected", c.rejected()).put("errors", c.errors()).put("noAnswer", c.noAnswer());
  }

  private static ObjectNode verdict(SafetyVerdict v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("result", v.pass() ? "PASS" : "FAIL");
    n.put("acknowledged", v.acknowledged());
    n.put("committedOnce", v.committedOnce());
    n.put("lost", v.lost());
    n.put("duplicated", v.duplicated());
    n.put("committedWithoutAck", v.committedWithoutAck());
    ObjectNode heights = n.putObject("agreedHeights");
    v.agreedHeights().forEach(heights::put);
    ArrayNode findings = n.putArray("findings");
    for (Finding f : v.findings()) {
      ObjectNode fn = findings.addObject();
      fn.put("severity", f.severity().name());
      fn.put("check", f.check().name());
      fn.put("channel", f.channel());
      if (f.block() >= 0) {
        fn.put("block", f.block());
      } else {
        fn.putNull("block");
      }
      f.nodes().forEach(fn.putArray("nodes")::add);
      fn.put("message", f.message());
    }
    return n;
  }

  private static String iso(Instant t) {
    return t.toString();
  }
}
