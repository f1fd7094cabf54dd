package io.raftswarm.swarm.drill;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.StatusSample;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A follower falls so far behind that the entries it misses are gone from every other orderer's
 * Raft log (purged after a snapshot): it can only catch up by pulling blocks, the path a node
 * back from a long outage takes. The follower is either cut off alive ({@link Lag#CUT}: iptables
 * inside its own network namespace, both ways, so it keeps its Raft state in memory) or killed
 * ({@link Lag#KILL}: kill -9, restarted from its disk). The drill holds the lag until every other
 * orderer's {@code /status} reports a Raft log that starts after the follower's last applied
 * entry, then lets it back and measures the catch-up.
 *
 * <p>Expected: the others keep ordering with no leader change, neither while it lags nor when it
 * comes back (pre-vote keeps a returning node from disrupting the leader); it catches up to
 * identical blocks; the safety verdict as after any drill. The load goes to the other orderers.
 */
public final class LaggingFollowerDrill implements Drill {
  /** How the follower is made to lag, and how the lag is proven to start and end. */
  public enum Lag {
    CUT("cut off (iptables DROP both ways inside its network namespace)", "reconnected") {
      @Override
      FaultInstant start(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        return ctx.faultClock().cut("cut off " + victim.name(), ctx.faults().isolateContainer(victim));
      }

      @Override
      FaultInstant end(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        return ctx.faultClock().healed("reconnect " + victim.name(), ctx.faults().restoreContainer(victim));
      }
    },
    KILL("killed (kill -9)", "restarted") {
      @Override
      FaultInstant start(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        CommandSpan kill = ctx.faults().kill(victim);
        return ctx.faultClock().died("kill " + victim.name(), victim.host(), victim.name(), kill);
      }

      @Override
      FaultInstant end(DrillContext ctx, NetworkProfile.NodeEntry victim) {
        CommandSpan start = ctx.faults().start(victim);
        return ctx.faultClock().engineEvent("restart " + victim.name(), victim.host(), victim.name(), "start", start);
      }
    };

    final String done;
    final String undone;

    Lag(String done, String undone) {
      this.done = done;
      this.undone = undone;
    }

    abstract FaultInstant start(DrillContext ctx, NetworkProfile.NodeEntry victim);

    abstract FaultInstant end(DrillContext ctx, NetworkProfile.NodeEntry victim);
  }

  /** How often the wait for the purge polls and prints where the others' logs start. */
  private static final Duration PURGE_POLL = Duration.ofSeconds(1);
  private static final Duration VICTIM_STATUS_WAIT = Duration.ofSeconds(15);
  private static final Duration PURGE_PROGRESS = Duration.ofSeconds(10);
  /**
   * /status reports the last applied entry; the follower's log may hold a few more it received but
   * had not applied when it was cut off (up to the leader's in-flight window). Purged past those
   * too, the leader cannot send it anything from its log.
   */
  static final long APPENDED_MARGIN = 16;

  private final Lag lag;
  private final String channelOption;
  private final String nodeOption;
  private final Duration maxLag;
  private String channel;
  private NetworkProfile.NodeEntry victim;
  private List<String> targets;
  private long lastIndex = -1;
  private FaultInstant laggingAt;
  private Instant purgedAt;
  private String purgeNote = "";
  private FaultInstant backAt;

  /**
   * @param channel the channel to lag on; null = the first channel
   * @param node the follower to make lag; null = one chosen among the followers
   * @param maxLag how long to hold the lag at most while waiting for the others to purge
   */
  public LaggingFollowerDrill(Lag lag, String channel, String node, Duration maxLag) {
    this.lag = lag;
    this.channelOption = channel;
    this.nodeOption = node;
    this.maxLag = maxLag;
  }

  @Override
  public String name() {
    return "lagging-follower";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    channel = KillLeaderDrill.channel(ctx, channelOption);
    NetworkProfile.NodeEntry leader = ctx.leaderOf(channel).orElseThrow(() -> new UserError(
        "channel " + channel + " has no leader; wait for an election before making a follower lag"));
    victim = nodeOption != null ? named(ctx, nodeOption, leader) : lastFollower(ctx, leader);
    targets = others(ctx);
    return targets;
  }

  private static NetworkProfile.NodeEntry named(DrillContext ctx, String name, NetworkProfile.NodeEntry leader) {
    NetworkProfile.NodeEntry node = ctx.profile().orderers().stream()
        .filter(o -> o.name().equals(name) || o.name().startsWith(name + "."))
        .findFirst().orElseThrow(() -> new UserError("--node " + name + " is not an orderer of network "
            + ctx.profile().name() + " (orderers: " + ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
            .toList() + ")"));
    if (node.name().equals(leader.name())) {
      throw new UserError("--node " + name + " leads the channel now; name a follower (or use kill-leader, "
          + "freeze-leader or blackhole-leader for the leader)");
    }
    return node;
  }

  /** The last follower in network order: deterministic, and never the leader. */
  private static NetworkProfile.NodeEntry lastFollower(DrillContext ctx, NetworkProfile.NodeEntry leader) {
    List<NetworkProfile.NodeEntry> followers = ctx.profile().orderers().stream()
        .filter(o -> !o.name().equals(leader.name())).toList();
    if (followers.size() < 2) {
      throw new UserError("a lagging follower needs at least 3 orderers (the others must still be a majority); network "
          + ctx.profile().name() + " has " + (followers.size() + 1));
    }
    return followers.get(followers.size() - 1);
  }

  private List<String> others(DrillContext ctx) {
    return ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> !n.equals(victim.name())).toList();
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    Optional<OrdererChannelStatus> mine = victimStatus(ctx);
    if (mine.isEmpty()) {
      throw new UserError(victim.name() + " did not report channel " + channel + " in /status for "
          + VICTIM_STATUS_WAIT.toSeconds() + " s; its last Raft entry is what the others must purge past. Check it "
          + "with raftswarm status and run the drill again");
    }
    if (mine.get().isLeader()) {
      throw new UserError(victim.name() + " became the leader of " + channel + " during warm-up; run the drill again");
    }
    // Every block is a Raft entry, so height - 1 bounds the last index from below too: the applied
    // index /status reports stays at the snapshot's while a restarted orderer replays or pulls.
    lastIndex = Math.max(mine.get().raftIndex(), mine.get().height() - 1);
    laggingAt = ctx.record(DrillEvent.Kind.FAULT, lag.start(ctx, victim),
        victim.name() + " (follower on " + victim.host() + ", last Raft entry " + lastIndex + ") " + lag.done,
        List.of(victim.name()));
    awaitPurge(ctx);
    backAt = ctx.record(DrillEvent.Kind.HEAL, lag.end(ctx, victim),
        victim.name() + " " + lag.undone + " after " + Duration.between(laggingAt.reference(), ctx.now()).toSeconds()
            + " s", List.of(victim.name()));
    ctx.awaitCaughtUp(channel, victim.name());
  }

  /**
   * The victim's status of the channel, polled until it answers or {@link #VICTIM_STATUS_WAIT}
   * passed: on a loaded box one poll can miss it, and without its last entry the drill cannot
   * tell when the others purged past it (a CI run failed so, "last entry -1").
   */
  private Optional<OrdererChannelStatus> victimStatus(DrillContext ctx) throws InterruptedException {
    Instant deadline = ctx.now().plus(VICTIM_STATUS_WAIT);
    while (true) {
      Optional<OrdererChannelStatus> mine = status(ctx.poll().get(victim.name()), channel);
      if (mine.isPresent() || !ctx.now().isBefore(deadline)) {
        return mine;
      }
      ctx.hold(PURGE_POLL);
    }
  }

  /**
   * Holds the lag until every other orderer's Raft log starts after the follower's last entry,
   * or {@code maxLag} passed; records the outcome as an expectation.
   */
  private void awaitPurge(DrillContext ctx) throws InterruptedException {
    Instant deadline = laggingAt.reference().plus(maxLag);
    Instant nextProgress = ctx.now().plus(PURGE_PROGRESS);
    OptionalLong lowestStart = OptionalLong.empty();
    Map<String, Long> logStarts = new HashMap<>();
    while (true) {
      Map<String, StatusSample> round = ctx.poll();
      lowestStart = lowestLogStart(round, logStarts);
      if (lastIndex >= 0 && lowestStart.isPresent() && lowestStart.getAsLong() > lastIndex + 1 + APPENDED_MARGIN) {
        purgedAt = ctx.now();
        break;
      }
      if (!ctx.now().isBefore(deadline)) {
        break;
      }
      if (!ctx.now().isBefore(nextProgress)) {
        ctx.progress("  waiting for the others to purge their Raft logs past " + victim.name() + "'s entry "
            + lastIndex + ": the lowest log start is " + (lowestStart.isPresent() ? lowestStart.getAsLong() : "unknown")
            + ", height " + highest(round) + " (" + Duration.between(laggingAt.reference(), ctx.now()).toSeconds()
            + " s of at most " + maxLag.toSeconds() + ")");
        nextProgress = ctx.now().plus(PURGE_PROGRESS);
      }
      ctx.hold(PURGE_POLL);
    }
    String where = lowestStart.isPresent() ? "the others' Raft logs start at ≥ " + lowestStart.getAsLong()
        : "not every other orderer reported its Raft log start (" + logStarts.keySet() + " did)";
    if (purgedAt != null) {
      purgeNote = where + " after " + Duration.between(laggingAt.reference(), purgedAt).toSeconds() + " s, past "
          + victim.name() + "'s last entry " + lastIndex;
    } else {
      purgeNote = where + " after " + maxLag.toSeconds() + " s, not past " + victim.name() + "'s last entry " + lastIndex
          + "; raise --rate (more blocks per second) or --max-lag, or lower the channel's SnapshotIntervalSize";
    }
    ctx.expect("every other orderer purged its Raft log past " + victim.name() + "'s last entry (it can catch up "
        + "only by pulling blocks)", purgedAt != null, purgeNote);
  }

  /**
   * The lowest first Raft log index among the other orderers, each as it last answered (a log's
   * start only moves forward, and a loaded orderer may miss a poll); empty until each answered.
   */
  private OptionalLong lowestLogStart(Map<String, StatusSample> round, Map<String, Long> latest) {
    for (String other : targets) {
      status(round.get(other), channel).filter(s -> s.raftLogStart() >= 0)
          .ifPresent(s -> latest.merge(other, s.raftLogStart(), Math::max));
    }
    return latest.size() < targets.size() ? OptionalLong.empty()
        : latest.values().stream().mapToLong(Long::longValue).min();
  }

  private long highest(Map<String, StatusSample> round) {
    return targets.stream().map(round::get).map(s -> status(s, channel))
        .flatMap(Optional::stream).mapToLong(OrdererChannelStatus::height).max().orElse(0);
  }

  private static Optional<OrdererChannelStatus> status(StatusSample sample, String channel) {
    return sample == null || !sample.reachable() ? Optional.empty() : sample.status().channel(channel);
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (laggingAt != null) {
      timings.add(purgedAt == null
          ? Timing.notObserved("lag → others purged past it", channel, laggingAt, purgeNote)
          : Timing.since("lag → others purged past it", channel, laggingAt, purgedAt, purgeNote));
      timings.add(Timings.unavailability(load.records(), laggingAt, timeline.end(), Set.copyOf(targets), ""));
      long changes = Timings.termChanges(timeline, channel, laggingAt.earliest(), timeline.end());
      expectations.add(new Expectation("no leader change on " + channel + " while " + victim.name()
          + " lagged, came back and caught up", changes == 0,
          changes + " term change" + (changes == 1 ? "" : "s") + " seen in /status"));
    }
    if (backAt != null) {
      Timing catchUp = Timings.catchUp(timeline, backAt, victim.name(), channel);
      timings.add(catchUp);
      expectations.add(new Expectation(victim.name() + " catches up after it is " + lag.undone, catchUp.observed(),
          catchUp.note()));
    }
    String description = victim == null ? "no follower was made to lag"
        : "follower " + victim.name() + " on " + victim.host() + " " + lag.done + " on " + channel
            + " until the others purged their Raft logs past its last entry (at most " + maxLag.toSeconds()
            + " s), then " + lag.undone + "; load to the other " + targets.size() + " orderers";
    return new Conclusion(description, timings, expectations);
  }
}
