package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.FaultInstants;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes the whole network down at once and brings it back: {@code restart-all} stops every
 * container (orderers and peers, {@code docker stop}); {@code kill-all} sends SIGKILL to every
 * orderer at the same moment under load (a power cut of the ordering service: nothing gets to
 * flush or hand off). Then all are started again, and the drill checks that each channel elects
 * a leader, that no orderer lost a block it had (heights never go back), and that ordering
 * resumes; the verdict then checks that every acknowledged transaction survived, exactly once.
 */
public final class RestartAllDrill implements Drill {
  private static final Duration DOWN_TIME = Duration.ofSeconds(2);
  private final boolean kill;
  /** Per channel, each orderer's height before the stop: no orderer may come back with fewer blocks. */
  private final Map<String, Map<String, Long>> heightsBefore = new HashMap<>();
  private FaultInstant stoppedAt;
  private FaultInstant startedAt;

  /** @param kill true: kill -9 of every orderer ({@code kill-all}); false: docker stop of every container */
  public RestartAllDrill(boolean kill) {
    this.kill = kill;
  }

  @Override
  public String name() {
    return kill ? "kill-all" : "restart-all";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    return ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name).toList();
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    List<NetworkProfile.NodeEntry> all = kill ? ctx.profile().orderers() : ctx.profile().nodes();
    for (String channel : ctx.profile().channels()) {
      heightsBefore.put(channel, ctx.heights(channel));
    }
    CommandSpan stop = kill ? ctx.faults().killAll(all) : ctx.faults().stopAll(all);
    List<FaultInstant> deaths = new ArrayList<>();
    for (NetworkProfile.NodeEntry n : all) {
      deaths.add(ctx.faultClock().died((kill ? "kill " : "stop ") + n.name(), n.host(), n.name(), stop));
    }
    stoppedAt = ctx.record(DrillEvent.Kind.FAULT, FaultInstants.lastOf(kill ? "all killed" : "all stopped", deaths),
        (kill ? "kill -9 of all " + all.size() + " orderers" : "docker stop all " + all.size() + " containers"),
        all.stream().map(NetworkProfile.NodeEntry::name).toList());
    ctx.hold(DOWN_TIME);
    CommandSpan start = ctx.faults().startAll(all);
    startedAt = ctx.record(DrillEvent.Kind.RESTART,
        FaultInstants.lastOf("all started", KillMinorityDrill.started(ctx, all, start)),
        "docker start all " + all.size() + " containers", all.stream().map(NetworkProfile.NodeEntry::name).toList());
    for (String channel : ctx.profile().channels()) {
      Optional<NetworkProfile.NodeEntry> leader = ctx.awaitLeader(channel, Set.of(),
          ctx.settings().electionTimeout().multipliedBy(2));
      ctx.expect("a leader of " + channel + " is elected after the restart", leader.isPresent(),
          leader.map(n -> n.name() + " (from a fresh poll)")
              .orElse("none within " + ctx.settings().electionTimeout().multipliedBy(2).toSeconds() + " s"));
    }
    for (String channel : ctx.profile().channels()) {
      ctx.awaitHeightAbove(channel, highest(heightsBefore.get(channel)), Set.of(), ctx.settings().convergeTimeout());
    }
    ctx.hold(ctx.settings().hold());
    for (String channel : ctx.profile().channels()) {
      Map<String, Long> after = ctx.heights(channel);
      long min = after.values().stream().mapToLong(Long::longValue).min().orElse(0);
      long max = after.values().stream().mapToLong(Long::longValue).max().orElse(0);
      Map<String, Long> own = heightsBefore.get(channel);
      long before = highest(own);
      // Each orderer against its own height: a follower a block behind at the kill is not a loss.
      List<String> lost = own.entrySet().stream()
          .filter(e -> after.getOrDefault(e.getKey(), -1L) < e.getValue())
          .map(e -> e.getKey() + " " + e.getValue() + " → " + after.getOrDefault(e.getKey(), -1L)).toList();
      ctx.expect("no orderer lost blocks on " + channel + " (each orderer's height after ≥ its height before)",
          after.size() == ctx.profile().orderers().size() && lost.isEmpty(),
          after.size() + " orderers answering, heights " + min + ".." + max
              + (lost.isEmpty() ? "" : "; lower than before: " + String.join(", ", lost)));
      ctx.expect("ordering resumes on " + channel + " after the restart", max > before,
          "height " + before + " → " + max);
    }
  }

  private static long highest(Map<String, Long> heights) {
    return heights.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    if (startedAt != null) {
      for (String channel : ctx.profile().channels()) {
        timings.add(Timings.election(timeline, startedAt, channel).named("restart → leader"));
        timings.add(Timings.nextBlockInNewTerm(timeline, startedAt, channel).named("restart → next block"));
      }
      timings.add(Timings.firstAck(load.records(), startedAt, Set.of()));
      timings.add(Timings.unavailability(load.records(), stoppedAt, timeline.end(), Set.of(), ""));
      timings.add(Timings.converged(timeline, startedAt));
    }
    return new Conclusion((kill ? "kill -9 of every orderer at once" : "docker stop of every container") + ", "
        + DOWN_TIME.toSeconds() + " s down, docker start of all; load to all orderers", timings, List.<Expectation>of());
  }
}
