package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.FaultInstants;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.load.TxOutcome;
import io.raftswarm.swarm.drill.load.TxRecord;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Raft's quorum arithmetic, live: kill -9 the largest minority (3 of 7, never the leader) —
 * the cluster must still commit; kill one more (4 of 7) — it must stop committing and its
 * clients must get errors, never a SUCCESS; start them all — it must recover. The load goes to
 * the orderers that stay up throughout.
 */
public final class KillMinorityDrill implements Drill {
  private static final Duration QUIESCE = Duration.ofSeconds(2);
  private String channel;
  private List<NetworkProfile.NodeEntry> minority;
  private NetworkProfile.NodeEntry tipping;
  private List<String> survivors;
  private FaultInstant firstKillAt;
  private FaultInstant quorumLostAt;
  private FaultInstant restartedAt;
  /** The earliest any of the killed ones can have started again: quorum may return from then on. */
  private Instant firstStartFrom;

  @Override
  public String name() {
    return "kill-minority";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    channel = ctx.profile().channels().get(0);
    List<NetworkProfile.NodeEntry> orderers = ctx.profile().orderers();
    int f = (orderers.size() - 1) / 2;
    if (f < 1) {
      throw new UserError("kill-minority needs at least 3 orderers; network " + ctx.profile().name()
          + " has " + orderers.size());
    }
    String leader = ctx.leaderOf(channel).map(NetworkProfile.NodeEntry::name).orElse("");
    List<NetworkProfile.NodeEntry> followers = orderers.stream().filter(o -> !o.name().equals(leader)).toList();
    minority = followers.subList(0, f);
    tipping = followers.get(f);
    survivors = orderers.stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> minority.stream().noneMatch(m -> m.name().equals(n)) && !n.equals(tipping.name()))
        .toList();
    return survivors;
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    int n = ctx.profile().orderers().size();
    List<CommandSpan> kills = new ArrayList<>();
    for (NetworkProfile.NodeEntry o : minority) {
      kills.add(ctx.faults().kill(o));
    }
    // "f of n down" holds once the last of them died
    List<FaultInstant> deaths = new ArrayList<>();
    for (int i = 0; i < minority.size(); i++) {
      NetworkProfile.NodeEntry o = minority.get(i);
      deaths.add(ctx.faultClock().died("kill " + o.name(), o.host(), o.name(), kills.get(i)));
    }
    firstKillAt = ctx.record(DrillEvent.Kind.FAULT,
        FaultInstants.lastOf(minority.size() + " of " + n + " down", deaths),
        "kill -9 " + names(minority) + " (" + minority.size() + " of " + n + " down)",
        minority.stream().map(NetworkProfile.NodeEntry::name).toList());
    long before = maxHeight(ctx);
    ctx.hold(ctx.settings().hold());
    long after = maxHeight(ctx);
    if (after <= before) {
      // A slow machine may still be re-electing (the killed minority can include nobody's leader,
      // but heartbeats and batch timeouts still take time): wait for progress, bounded.
      after = Math.max(after, ctx.awaitHeightAbove(channel, before, Set.of(), ctx.settings().electionTimeout()));
    }
    ctx.expect("with " + minority.size() + " of " + n + " down the cluster still commits",
        after > before, "height " + before + " → " + after + " within "
            + (ctx.settings().hold().plus(ctx.settings().electionTimeout())).toSeconds() + " s");

    CommandSpan tip = ctx.faults().kill(tipping);
    quorumLostAt = ctx.record(DrillEvent.Kind.FAULT,
        ctx.faultClock().died("quorum lost (kill " + tipping.name() + ")", tipping.host(), tipping.name(), tip),
        "kill -9 " + tipping.name() + " (" + (minority.size() + 1) + " of " + n + " down: no quorum)",
        List.of(tipping.name()));
    ctx.hold(QUIESCE);
    long stalledFrom = maxHeight(ctx);
    ctx.hold(ctx.settings().hold());
    long stalledTo = maxHeight(ctx);
    ctx.expect("with " + (minority.size() + 1) + " of " + n + " down nothing commits",
        stalledTo == stalledFrom, "height " + stalledFrom + " → " + stalledTo);

    List<NetworkProfile.NodeEntry> down = Stream.concat(minority.stream(), Stream.of(tipping)).toList();
    CommandSpan start = ctx.faults().startAll(down);
    List<FaultInstant> starts = started(ctx, down, start);
    firstStartFrom = starts.stream().map(FaultInstant::earliest).min(Instant::compareTo).orElseThrow();
    restartedAt = ctx.record(DrillEvent.Kind.RESTART, FaultInstants.lastOf("all " + down.size() + " restarted", starts),
        "docker start " + names(down), down.stream().map(NetworkProfile.NodeEntry::name).toList());
    long recovered = ctx.awaitHeightAbove(channel, stalledTo, Set.of(),
        ctx.settings().electionTimeout().plus(ctx.settings().convergeTimeout()));
    ctx.expect("after they return the cluster commits again", recovered > stalledTo,
        "height " + stalledTo + " → " + recovered);
  }

  /** When each of {@code nodes} started (one `docker start` span for them all), per its start event. */
  static List<FaultInstant> started(DrillContext ctx, List<NetworkProfile.NodeEntry> nodes, CommandSpan span) {
    List<FaultInstant> starts = new ArrayList<>();
    for (NetworkProfile.NodeEntry o : nodes) {
      starts.add(ctx.faultClock().engineEvent("start " + o.name(), o.host(), o.name(), "start", span));
    }
    return starts;
  }

  private long maxHeight(DrillContext ctx) {
    Map<String, Long> h = ctx.heights(channel);
    return h.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (quorumLostAt != null) {
      // certainly without quorum: after the 4th death, before the first restart could take effect
      Instant end = firstStartFrom == null ? timeline.end() : firstStartFrom;
      List<TxRecord> withoutQuorum = load.records().stream()
          .filter(r -> r.sentAt().isAfter(quorumLostAt.latest()) && r.sentAt().isBefore(end)).toList();
      long failed = withoutQuorum.stream().filter(r -> r.outcome().failed()).count();
      long ackedWithoutQuorum = withoutQuorum.stream()
          .filter(r -> r.outcome() == TxOutcome.SUCCESS && r.answeredAt().isBefore(end)).count();
      expectations.add(new Expectation("without quorum clients get errors, never a SUCCESS",
          failed > 0 && ackedWithoutQuorum == 0, withoutQuorum.size() + " sent, " + failed + " failed, "
              + ackedWithoutQuorum + " acknowledged before the restart"));
      timings.add(Timings.unavailability(load.records(), quorumLostAt, timeline.end(), Set.of(), ""));
    }
    if (firstKillAt != null) {
      timings.add(Timings.nextBlock(timeline, firstKillAt, channel).named("minority kill → next block"));
    }
    if (restartedAt != null) {
      timings.add(Timings.nextBlock(timeline, restartedAt, channel).named("restart → next block"));
      timings.add(Timings.firstAck(load.records(), restartedAt, Set.of()));
      timings.add(Timings.catchUp(timeline, restartedAt, tipping.name(), channel));
    }
    String description = minority == null ? "" : "kill -9 of " + names(minority) + " (" + minority.size()
        + " of " + ctx.profile().orderers().size() + "), then " + tipping.name()
        + " as well, then all restarted; load to " + String.join(", ", survivors);
    return new Conclusion(description, timings, expectations);
  }

  private static String names(List<NetworkProfile.NodeEntry> nodes) {
    return String.join(", ", nodes.stream().map(NetworkProfile.NodeEntry::name).toList());
  }
}
