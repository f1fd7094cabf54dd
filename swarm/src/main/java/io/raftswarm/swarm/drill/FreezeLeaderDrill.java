package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.cli.UserError;
import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.ChannelStatus;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A gray failure: {@code docker pause} of a channel's Raft leader. Its processes are frozen
 * (cgroup freezer) — sockets stay open, connections are even accepted, nothing is answered — so
 * it is alive but silent, unlike a kill, where peers see connections refused. After
 * {@code --hold} seconds (longer if the election takes longer) it is thawed and resumes exactly
 * where it stopped, still believing it leads in its old term.
 *
 * <p>Raft's promise under test: the others elect a leader and keep ordering without it; the
 * thawed leader learns of the newer term and steps down instead of committing anything of its
 * own; it catches up; and the safety verdict finds every acknowledged tx exactly once and
 * identical chains. The load goes to the other orderers (clients of the frozen one would just
 * hang, which shows nothing about Raft).
 */
public final class FreezeLeaderDrill implements Drill {
  private final String channelOption;
  private String channel;
  private NetworkProfile.NodeEntry victim;
  private long victimTerm;
  private List<String> targets;
  private FaultInstant frozenAt;
  private FaultInstant thawedAt;

  /** @param channel the channel whose leader to freeze; null = the first channel */
  public FreezeLeaderDrill(String channel) {
    this.channelOption = channel;
  }

  @Override
  public String name() {
    return "freeze-leader";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    channel = KillLeaderDrill.channel(ctx, channelOption);
    victim = ctx.leaderOf(channel).orElseThrow(() -> new UserError(
        "channel " + channel + " has no leader to freeze; wait for an election"));
    targets = ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> !n.equals(victim.name())).toList();
    return targets;
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    Optional<ChannelStatus> leader = Timings.leaderAt(ctx.poll().values(), channel);
    if (leader.isPresent() && leader.get().consenterId() != victim.consenterId()) {
      // freezing a follower would prove nothing about leader loss
      victim = ctx.orderer(leader.get().consenterId());
      ctx.note("leadership moved to " + victim.name() + " during warm-up; freezing it instead");
    }
    victimTerm = leader.map(ChannelStatus::term).orElse(-1L);
    CommandSpan pause = ctx.faults().pause(victim);
    // the freeze took effect when the engine froze the cgroup, which it logs as `pause`
    frozenAt = ctx.record(DrillEvent.Kind.FAULT,
        ctx.faultClock().engineEvent("freeze " + victim.name(), victim.host(), victim.name(), "pause", pause),
        "docker pause " + victim.name() + " (leader of " + channel + " in term " + victimTerm + ", on "
            + victim.host() + "): alive but silent", List.of(victim.name()));
    Optional<NetworkProfile.NodeEntry> next = ctx.awaitLeader(channel, Set.of(victim.name()),
        ctx.settings().electionTimeout());
    ctx.expect("a new leader of " + channel + " is elected while the old one is frozen", next.isPresent(),
        next.map(n -> n.name() + " (from a fresh poll)")
            .orElse("none within " + ctx.settings().electionTimeout().toSeconds() + " s"));
    Duration left = ctx.settings().hold().minus(Duration.between(frozenAt.reference(), ctx.now()));
    if (!left.isNegative()) {
      ctx.hold(left);
    }
    CommandSpan unpause = ctx.faults().unpause(victim);
    thawedAt = ctx.record(DrillEvent.Kind.HEAL,
        ctx.faultClock().engineEvent("thaw " + victim.name(), victim.host(), victim.name(), "unpause", unpause),
        "docker unpause " + victim.name() + " after " + Duration.between(frozenAt.reference(), ctx.now()).toMillis()
            + " ms frozen", List.of(victim.name()));
    ctx.awaitCaughtUp(channel, victim.name());
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (frozenAt != null) {
      Timing next = Timings.nextBlock(timeline, frozenAt, channel);
      timings.add(Timings.election(timeline, frozenAt, channel, victim.name()));
      timings.add(next);
      timings.add(Timings.firstAck(load.records(), frozenAt, Set.copyOf(targets)));
      timings.add(Timings.unavailability(load.records(), frozenAt,
          thawedAt == null ? timeline.end() : thawedAt.latest(), Set.copyOf(targets), ""));
      // progress must come from the others while it is frozen, not from the thawed leader
      boolean whileFrozen = next.observed() && (thawedAt == null
          || frozenAt.latest().plus(next.value()).isBefore(thawedAt.earliest()));
      expectations.add(new Expectation("ordering resumes while the leader is frozen", whileFrozen,
          next.observed() ? "next block " + next.value().toMillis() + " ms after the freeze"
              + (whileFrozen ? "" : ", only after the thaw") : next.note()));
    }
    if (thawedAt != null) {
      Timing stepDown = Timings.stepDown(timeline, thawedAt, victim.name(), channel, victimTerm);
      Timing catchUp = Timings.catchUp(timeline, thawedAt, victim.name(), channel);
      timings.add(stepDown);
      timings.add(catchUp);
      expectations.add(new Expectation("the thawed old leader steps down", stepDown.observed(), stepDown.note()));
      expectations.add(new Expectation("the thawed orderer catches up", catchUp.observed(), catchUp.note()));
    }
    String description = victim == null ? "no leader was frozen"
        : "docker pause of " + channel + "'s leader " + victim.name() + " on " + victim.host() + " for ≥ "
            + ctx.settings().hold().toSeconds() + " s (alive but silent), then unpause; load to the other "
            + targets.size() + " orderers";
    return new Conclusion(description, timings, expectations);
  }
}
