package io.raftswarm.swarm.drill;

import io.raftswarm.common.status.LeaderLossLog;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.Noticed;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gray failures of a channel's Raft leader: it is alive but the others stop hearing it, unlike a
 * kill, where peers see connections refused.
 * <ul>
 *   <li>{@link Silence#FREEZE} ({@code freeze-leader}): {@code docker pause}; its processes are
 *       frozen (cgroup freezer) — sockets stay open, connections are even accepted, nothing is
 *       answered;</li>
 *   <li>{@link Silence#BLACKHOLE} ({@code blackhole-leader}): an iptables DROP of everything it
 *       sends, inside its own network namespace; it keeps running and receiving, and believes it
 *       leads until check-quorum finds no majority answering.</li>
 * </ul>
 * After {@code --hold} seconds (longer if the election takes longer) the silence ends and the
 * old leader resumes, possibly still believing it leads in its old term.
 *
 * <p>Raft's promise under test: the others elect a leader and keep ordering without it; the old
 * leader learns of the newer term and steps down instead of committing anything of its own; it
 * catches up; and the safety verdict finds every acknowledged tx exactly once and identical
 * chains. The load goes to the other orderers (clients of the silent one would just hang, which
 * shows nothing about Raft).
 */
public final class SilentLeaderDrill implements Drill {
  /** How the leader is silenced, and how the silence is proven to start and end. */
  public enum Silence {
    FREEZE("freeze-leader", "frozen", "docker pause", "thaw", false) {
      @Override
      FaultInstant start(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        CommandSpan pause = ctx.faults().pause(victim);
        // the freeze took effect when the engine froze the cgroup, which it logs as `pause`
        return ctx.faultClock().engineEvent("freeze " + victim.name(), victim.host(), victim.name(), "pause", pause);
      }

      @Override
      FaultInstant end(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        CommandSpan unpause = ctx.faults().unpause(victim);
        return ctx.faultClock().engineEvent("thaw " + victim.name(), victim.host(), victim.name(), "unpause", unpause);
      }
    },
    BLACKHOLE("blackhole-leader", "blackholed", "iptables DROP of all it sends", "restore", true) {
      @Override
      FaultInstant start(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        // proven by the first probe from its network to another orderer that no longer connects
        return ctx.faultClock().cut("blackhole " + victim.name(), ctx.faults().blackholeOutgoing(victim));
      }

      @Override
      FaultInstant end(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        return ctx.faultClock().healed("restore " + victim.name(), ctx.faults().restoreContainer(victim));
      }
    };

    final String drillName;
    final String state;
    final String action;
    final String undo;
    /**
     * Whether the followers' kernels stop getting acknowledgements from the leader's host, so that
     * they notice it from their link to it (LeaderWatch); a frozen process's kernel still acknowledges.
     */
    final boolean unacknowledged;

    Silence(String drillName, String state, String action, String undo, boolean unacknowledged) {
      this.drillName = drillName;
      this.state = state;
      this.action = action;
      this.undo = undo;
      this.unacknowledged = unacknowledged;
    }

    abstract FaultInstant start(DrillContext ctx, NetworkProfile.NodeEntry victim);

    abstract FaultInstant end(DrillContext ctx, NetworkProfile.NodeEntry victim);
  }

  private final Silence silence;
  private final String channelOption;
  private String channel;
  private NetworkProfile.NodeEntry victim;
  private long victimTerm;
  private List<String> targets;
  private FaultInstant silencedAt;
  private FaultInstant resumedAt;
  /** The followers' first log lines saying the leader's host acknowledged nothing, earliest first. */
  private List<Noticed> noticedUnacknowledged = List.of();
  private boolean logsRead;

  /** @param channel the channel whose leader to silence; null = the first channel */
  public SilentLeaderDrill(Silence silence, String channel) {
    this.silence = silence;
    this.channelOption = channel;
  }

  @Override
  public String name() {
    return silence.drillName;
  }

  /**
   * Cut off, a follower's link to the leader must go unacknowledged (the fast way to notice it);
   * frozen, it must not: the frozen process's kernel still acknowledges, and a follower taking a
   * paused JVM for a cut-off one would start elections on every long GC.
   */
  private Expectation linkExpectation() {
    String first = noticedUnacknowledged.isEmpty() ? "no follower logged it"
        : noticedUnacknowledged.size() + " follower(s) logged it, first " + noticedUnacknowledged.get(0).container()
            + " at " + noticedUnacknowledged.get(0).at() + ": " + noticedUnacknowledged.get(0).line();
    return silence.unacknowledged
        ? new Expectation("a follower noticed that the leader's host acknowledged nothing (its link to the leader)",
            !noticedUnacknowledged.isEmpty(), first)
        : new Expectation("no follower took the " + silence.state + " leader's host for silent (its kernel still acknowledges)",
            noticedUnacknowledged.isEmpty(), first);
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    channel = KillLeaderDrill.channel(ctx, channelOption);
    victim = ctx.leaderOf(channel).orElseThrow(() -> new UserError(
        "channel " + channel + " has no leader to silence; wait for an election"));
    targets = ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> !n.equals(victim.name())).toList();
    return targets;
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    Optional<OrdererChannelStatus> leader = Timings.leaderAt(ctx.poll().values(), channel);
    if (leader.isPresent() && leader.get().consenterId() != victim.consenterId()) {
      // silencing a follower would prove nothing about leader loss
      victim = ctx.orderer(leader.get().consenterId());
      ctx.note("leadership moved to " + victim.name() + " during warm-up; silencing it instead");
    }
    victimTerm = leader.map(OrdererChannelStatus::term).orElse(-1L);
    silencedAt = ctx.record(DrillEvent.Kind.FAULT, silence.start(ctx, victim),
        silence.action + " " + victim.name() + " (leader of " + channel + " in term " + victimTerm + ", on "
            + victim.host() + "): alive but silent", List.of(victim.name()));
    Optional<NetworkProfile.NodeEntry> next = ctx.awaitLeader(channel, Set.of(victim.name()),
        ctx.settings().electionTimeout());
    ctx.expect("a new leader of " + channel + " is elected while the old one is " + silence.state, next.isPresent(),
        next.map(n -> n.name() + " (from a fresh poll)")
            .orElse("none within " + ctx.settings().electionTimeout().toSeconds() + " s"));
    // read now, while the silence lasts: after it a slow network's lines could mix in
    Map<String, List<String>> observers = ctx.profile().orderers().stream()
        .filter(o -> !o.name().equals(victim.name()))
        .collect(Collectors.groupingBy(NetworkProfile.NodeEntry::host, LinkedHashMap::new,
            Collectors.mapping(NetworkProfile.NodeEntry::name, Collectors.toList())));
    noticedUnacknowledged = ctx.faultClock().noticed(observers, LeaderLossLog.unacknowledgedMarker(victim.name()),
        silencedAt.earliest());
    logsRead = true;
    Duration left = ctx.settings().hold().minus(Duration.between(silencedAt.reference(), ctx.now()));
    if (!left.isNegative()) {
      ctx.hold(left);
    }
    resumedAt = ctx.record(DrillEvent.Kind.HEAL, silence.end(ctx, victim),
        silence.undo + " " + victim.name() + " after " + Duration.between(silencedAt.reference(), ctx.now()).toMillis()
            + " ms " + silence.state, List.of(victim.name()));
    ctx.awaitCaughtUp(channel, victim.name());
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (silencedAt != null) {
      Timing next = Timings.nextBlockInNewTerm(timeline, silencedAt, channel);
      timings.add(Timings.election(timeline, silencedAt, channel, victim.name()));
      timings.add(next);
      timings.add(Timings.firstAck(load.records(), silencedAt, Set.copyOf(targets)));
      timings.add(Timings.unavailability(load.records(), silencedAt,
          resumedAt == null ? timeline.end() : resumedAt.latest(), Set.copyOf(targets), ""));
      // progress must come from the others while it is silent, not from the old leader afterwards
      boolean whileSilent = next.observed() && (resumedAt == null
          || silencedAt.latest().plus(next.value()).isBefore(resumedAt.earliest()));
      expectations.add(new Expectation("ordering resumes while the leader is " + silence.state, whileSilent,
          next.observed() ? "next block " + next.value().toMillis() + " ms after the fault"
              + (whileSilent ? "" : ", only after the " + silence.undo) : next.note()));
    }
    if (logsRead) {
      expectations.add(linkExpectation());
    }
    if (resumedAt != null) {
      Timing stepDown = Timings.stepDown(timeline, resumedAt, victim.name(), channel, victimTerm)
          .named(silence.undo + " → old leader steps down");
      Timing catchUp = Timings.catchUp(timeline, resumedAt, victim.name(), channel);
      timings.add(stepDown);
      timings.add(catchUp);
      expectations.add(new Expectation("the old leader steps down", stepDown.observed(), stepDown.note()));
      expectations.add(new Expectation("the old leader catches up", catchUp.observed(), catchUp.note()));
    }
    String description = victim == null ? "no leader was silenced"
        : silence.action + " of " + channel + "'s leader " + victim.name() + " on " + victim.host() + " for ≥ "
            + ctx.settings().hold().toSeconds() + " s (alive but silent), then " + silence.undo + "; load to the other "
            + targets.size() + " orderers";
    return new Conclusion(description, timings, expectations);
  }
}
