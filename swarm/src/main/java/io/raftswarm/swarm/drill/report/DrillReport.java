package io.raftswarm.swarm.drill.report;

import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadSummary;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a drill reports: what it did (timeline events), when its faults took effect and
 * how that is known, what it expected and saw, its timings (measured from those instants), the
 * load's accounting and the safety verdict. The drill passes iff the verdict passes and every
 * expectation is met.
 *
 * @param drill drill name, e.g. "kill-leader"
 * @param network network name from the profile
 * @param description one line on what this run did (targets, hosts)
 * @param instants the fault, heal and restart instants timings are measured from
 */
public record DrillReport(
    String drill,
    String network,
    String description,
    Instant started,
    Instant finished,
    List<Expectation> expectations,
    List<Timing> timings,
    List<FaultInstant> instants,
    LoadSummary load,
    SafetyVerdict verdict,
    Timeline timeline) {

  public DrillReport {
    Objects.requireNonNull(drill, "drill");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(timeline, "timeline");
    expectations = List.copyOf(expectations);
    timings = List.copyOf(timings);
    instants = List.copyOf(instants);
    network = network == null ? "" : network;
    description = description == null ? "" : description;
  }

  public boolean pass() {
    return verdict.pass() && expectations.stream().allMatch(Expectation::met);
  }
}
