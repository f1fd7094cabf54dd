package io.raftswarm.swarm.drill;

import io.raftswarm.common.status.LeaderLossLog;
import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * kill -9 (or, graceful, docker stop) the Raft leader of a channel, watch a new leader get
 * elected and ordering resume on the others, restart the stopped orderer and measure how fast it
 * catches up. The load goes to every other orderer (clients of the stopped one would only see
 * connection errors). A graceful stop lets the leader hand its leadership off first.
 */
public final class KillLeaderDrill implements Drill {
  private final String channelOption;
  private final boolean graceful;
  private String channel;
  private NetworkProfile.NodeEntry victim;
  private List<String> targets;
  private FaultInstant killedAt;
  private FaultInstant restartedAt;

  /**
   * @param channel the channel whose leader to kill; null = the first channel
   * @param graceful docker stop (SIGTERM, the orderer hands off leadership) instead of kill -9
   */
  public KillLeaderDrill(String channel, boolean graceful) {
    this.channelOption = channel;
    this.graceful = graceful;
  }

  @Override
  public String name() {
    return graceful ? "stop-leader" : "kill-leader";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    channel = channel(ctx, channelOption);
    victim = ctx.leaderOf(channel).orElseThrow(() -> new UserError(
        "channel " + channel + " has no leader to kill; wait for an election"));
    targets = ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> !n.equals(victim.name())).toList();
    return targets;
  }

  /** The channel named by {@code option} (null = the first one), checked against the network. */
  static String channel(DrillContext ctx, String option) {
    String channel = option != null ? option : ctx.profile().channels().get(0);
    if (!ctx.profile().channels().contains(channel)) {
      throw new UserError("no channel '" + channel + "' in network " + ctx.profile().name()
          + " (channels: " + ctx.profile().channels() + ")");
    }
    return channel;
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    Optional<NetworkProfile.NodeEntry> now = ctx.leaderOf(channel);
    if (now.isPresent() && !now.get().name().equals(victim.name())) {
      ctx.note("leadership moved to " + now.get().name() + " during warm-up; killing it instead");
      victim = now.get();
    }
    String what = (graceful ? "docker stop " : "kill -9 ") + victim.name();
    if (graceful) {
      // the stop takes effect when the engine sends SIGTERM (its `kill` event); the orderer then
      // hands off leadership and exits, which is what the timings measure
      CommandSpan stop = ctx.faults().stop(victim);
      killedAt = ctx.record(DrillEvent.Kind.FAULT,
          ctx.faultClock().engineEvent("stop " + victim.name(), victim.host(), victim.name(), "kill", stop),
          what + " (leader of " + channel + ", on " + victim.host() + ")", List.of(victim.name()));
    } else {
      CommandSpan kill = ctx.faults().kill(victim);
      // the kill took effect when the process died, which the engine recorded; not when
      // `docker kill` returned over SSH (that can be seconds later). The engine records the exit
      // only after containerd reports it: the followers' log lines saying the leader's
      // connection closed (OrdererChannels.leaderLost) can come first, and then open the window.
      Map<String, List<String>> observers = ctx.profile().orderers().stream()
          .filter(o -> !o.name().equals(victim.name()))
          .collect(Collectors.groupingBy(NetworkProfile.NodeEntry::host, LinkedHashMap::new,
              Collectors.mapping(NetworkProfile.NodeEntry::name, Collectors.toList())));
      killedAt = ctx.record(DrillEvent.Kind.FAULT,
          ctx.faultClock().died("kill " + victim.name(), victim.host(), victim.name(), kill, observers,
              LeaderLossLog.connectionClosedMarker(victim.name())),
          what + " (leader of " + channel + ", on " + victim.host() + ")", List.of(victim.name()));
    }
    Optional<NetworkProfile.NodeEntry> next = ctx.awaitLeader(channel, Set.of(victim.name()),
        ctx.settings().electionTimeout());
    ctx.expect("a new leader of " + channel + " is elected among the other orderers",
        next.isPresent(), next.map(n -> n.name() + " (from a fresh poll)")
            .orElse("none within " + ctx.settings().electionTimeout().toSeconds() + " s"));
    ctx.hold(ctx.settings().hold());
    CommandSpan start = ctx.faults().start(victim);
    restartedAt = ctx.record(DrillEvent.Kind.RESTART,
        ctx.faultClock().engineEvent("restart " + victim.name(), victim.host(), victim.name(), "start", start),
        "docker start " + victim.name(), List.of(victim.name()));
    ctx.awaitCaughtUp(channel, victim.name());
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (killedAt != null) {
      Timing election = Timings.election(timeline, killedAt, channel, victim.name());
      Timing next = Timings.nextBlockInNewTerm(timeline, killedAt, channel);
      timings.add(election);
      timings.add(next);
      timings.add(Timings.firstAck(load.records(), killedAt, Set.copyOf(targets)));
      timings.add(Timings.unavailability(load.records(), killedAt,
          restartedAt == null ? timeline.end() : restartedAt.latest(), Set.copyOf(targets), ""));
      expectations.add(new Expectation("ordering resumes without the killed leader", next.observed(),
          next.observed() ? "next block after " + next.value().toMillis() + " ms" : next.note()));
    }
    if (restartedAt != null) {
      Timing catchUp = Timings.catchUp(timeline, restartedAt, victim.name(), channel);
      timings.add(catchUp);
      expectations.add(new Expectation("the restarted orderer catches up", catchUp.observed(),
          catchUp.note()));
      Optional<String> termChange = Timings.termChangeAfter(timeline, restartedAt, channel);
      expectations.add(new Expectation("the restarted orderer rejoins without a leader change", termChange.isEmpty(),
          termChange.orElse("the term held from the restart to the drill's end")));
    }
    String description = victim == null ? "no leader was killed"
        : (graceful ? "docker stop of " : "kill -9 of ") + channel + "'s leader " + victim.name() + " on " + victim.host()
            + ", restarted after " + ctx.settings().hold().toSeconds() + " s; load to the other "
            + targets.size() + " orderers";
    return new Conclusion(description, timings, expectations);
  }
}
