package io.raftswarm.swarm.drill;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.drill.clock.CutLog;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.load.TxOutcome;
import io.raftswarm.swarm.drill.load.TxRecord;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts one host off from the others (iptables DROP both ways inside that host; the operator's
 * path stays open), keeps sending through orderers on both sides, and checks Raft's promise:
 * the side with a majority of consenters elects a leader (if it lacks one) and keeps
 * committing; the other side commits nothing and its clients get errors — no SUCCESS for a tx
 * sent there during the cut. After healing, every orderer converges on one chain and the
 * verdict checks that nothing acknowledged was lost. Works whichever side holds the majority.
 */
public final class PartitionDrill implements Drill {
  private final String isolatedHost;
  private List<String> isolated;
  private List<String> rest;
  private List<String> majority;
  private List<String> minority;
  private FaultInstant cutAt;
  private FaultInstant healedAt;

  public PartitionDrill(String isolatedHost) {
    this.isolatedHost = isolatedHost;
  }

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    NetworkProfile p = ctx.profile();
    if (p.hosts().stream().noneMatch(h -> h.name().equals(isolatedHost))) {
      throw new UserError("no host '" + isolatedHost + "' in network " + p.name() + " (hosts: "
          + p.hosts().stream().map(HostAccess::name).toList() + ")");
    }
    if (p.hosts().size() < 2) {
      throw new UserError("a partition needs at least two hosts; network " + p.name() + " has one");
    }
    isolated = p.orderers().stream().filter(o -> o.host().equals(isolatedHost))
        .map(NetworkProfile.NodeEntry::name).toList();
    rest = p.orderers().stream().filter(o -> !o.host().equals(isolatedHost))
        .map(NetworkProfile.NodeEntry::name).toList();
    int quorum = p.orderers().size() / 2 + 1;
    majority = isolated.size() >= quorum ? isolated : rest;
    minority = majority == isolated ? rest : isolated;
    if (majority.size() < quorum) {
      throw new UserError("neither side of isolating " + isolatedHost + " holds a quorum of " + quorum
          + " orderers; this drill expects one side to keep committing");
    }
    return p.orderers().stream().map(NetworkProfile.NodeEntry::name).toList();
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    CutLog cut = ctx.faults().isolate(isolatedHost);
    // the cut took effect when packets stopped crossing it, which the host's probes show
    cutAt = ctx.record(DrillEvent.Kind.FAULT, ctx.faultClock().cut("cut " + isolatedHost, cut),
        "isolate " + isolatedHost + " (" + isolated.size() + " orderers) from the other hosts with iptables; "
            + "majority side: " + shortNames(majority), isolated);
    Map<String, Map<String, Long>> atCut = heightsPerChannel(ctx);
    Set<String> minoritySet = Set.copyOf(minority);
    for (String channel : ctx.profile().channels()) {
      Optional<NetworkProfile.NodeEntry> leader = ctx.awaitLeader(channel, minoritySet,
          ctx.settings().electionTimeout());
      ctx.expect("the majority side leads " + channel, leader.isPresent(),
          leader.map(n -> n.name() + " is leader").orElse("no leader on the majority side within "
              + ctx.settings().electionTimeout().toSeconds() + " s"));
    }
    Map<String, Map<String, Long>> before = heightsPerChannel(ctx);
    ctx.hold(ctx.settings().hold());
    Map<String, Map<String, Long>> after = heightsPerChannel(ctx);
    for (String channel : ctx.profile().channels()) {
      // progress is judged from the cut on: the majority may need an election first, and a
      // busy machine may delay it; it gets up to the election timeout beyond the hold
      long majAtCut = max(atCut.get(channel), majority);
      long majAfter = Math.max(max(after.get(channel), majority), ctx.awaitHeightAbove(channel,
          majAtCut, Set.copyOf(majority), ctx.settings().electionTimeout()));
      long minBefore = max(before.get(channel), minority);
      long minAfter = max(heightsPerChannel(ctx).get(channel), minority);
      ctx.expect("the majority side keeps committing on " + channel + " during the cut",
          majAfter > majAtCut, "height " + majAtCut + " at the cut → " + majAfter);
      ctx.expect("the minority side commits nothing on " + channel + " during the cut",
          minAfter <= minBefore, "height " + minBefore + " → " + minAfter);
    }
    CutLog heal = ctx.faults().reconnect(isolatedHost);
    healedAt = ctx.record(DrillEvent.Kind.HEAL, ctx.faultClock().healed("heal " + isolatedHost, heal),
        "heal " + isolatedHost + ": removed " + heal.rules().size() + " iptables rule(s)", isolated);
  }

  private static Map<String, Map<String, Long>> heightsPerChannel(DrillContext ctx) {
    Map<String, Map<String, Long>> out = new java.util.HashMap<>();
    for (String channel : ctx.profile().channels()) {
      out.put(channel, ctx.heights(channel));
    }
    return out;
  }

  private static long max(Map<String, Long> heights, List<String> nodes) {
    return nodes.stream().mapToLong(n -> heights.getOrDefault(n, 0L)).max().orElse(0);
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (cutAt != null) {
      // Failures count until the heal had certainly taken effect (its window's end); "during the
      // cut" for the no-SUCCESS rule means certainly during it: after the cut window's end and
      // before the heal window's start, so an answer that raced the heal is not held against it.
      Instant end = healedAt == null ? timeline.end() : healedAt.latest();
      Instant cutSurelyOver = healedAt == null ? timeline.end() : healedAt.earliest();
      for (String channel : ctx.profile().channels()) {
        timings.add(Timings.election(timeline, cutAt, channel));
        timings.add(Timings.nextBlock(timeline, cutAt, channel));
        cutOffLeaderStepsDown(timeline, channel, cutSurelyOver, timings, expectations);
      }
      timings.add(Timings.unavailability(load.records(), cutAt, end, Set.copyOf(majority),
          " (majority side)"));
      timings.add(Timings.unavailability(load.records(), cutAt, end, Set.copyOf(minority),
          " (minority side)"));
      Set<String> minoritySet = new HashSet<>(minority);
      List<TxRecord> minorityDuringCut = load.records().stream()
          .filter(r -> minoritySet.contains(r.orderer()) && r.sentAt().isAfter(cutAt.latest())
              && r.sentAt().isBefore(cutSurelyOver))
          .toList();
      long rejected = minorityDuringCut.stream().filter(r -> r.outcome().failed()).count();
      long ackedDuringCut = minorityDuringCut.stream()
          .filter(r -> r.outcome() == TxOutcome.SUCCESS && r.answeredAt().isBefore(cutSurelyOver)).count();
      long ackedAfterHeal = minorityDuringCut.stream()
          .filter(r -> r.outcome() == TxOutcome.SUCCESS && !r.answeredAt().isBefore(cutSurelyOver)).count();
      expectations.add(new Expectation(
          "clients of the minority side get errors and no SUCCESS during the cut",
          rejected > 0 && ackedDuringCut == 0,
          minorityDuringCut.size() + " sent, " + rejected + " failed, " + ackedDuringCut
              + " acknowledged during the cut, " + ackedAfterHeal + " acknowledged after healing"));
      long majorityAcked = load.records().stream()
          .filter(r -> majority.contains(r.orderer()) && r.sentAt().isAfter(cutAt.latest())
              && r.outcome() == TxOutcome.SUCCESS && r.answeredAt().isBefore(cutSurelyOver))
          .count();
      expectations.add(new Expectation("clients of the majority side are served during the cut",
          majorityAcked > 0, majorityAcked + " acknowledged"));
    }
    if (healedAt != null) {
      timings.add(Timings.converged(timeline, healedAt));
      timings.add(Timings.atHead(timeline, healedAt));
      if (!minority.isEmpty()) {
        for (String channel : ctx.profile().channels()) {
          timings.add(Timings.catchUp(timeline, healedAt, minority.get(0), channel));
        }
      }
    }
    String description = "isolated " + isolatedHost + " (" + shortNames(isolated) + ") from the other hosts for "
        + ctx.settings().hold().toSeconds() + " s; majority side " + shortNames(majority)
        + (majority == isolated ? " (the isolated side)" : "") + "; load to all orderers";
    return new Conclusion(description, timings, expectations);
  }

  /**
   * A leader on the minority side cannot commit; Raft's check-quorum (etcd's, Fabric's etcdraft
   * enables it) has it step down once a majority has been silent for an election timeout, so its
   * clients get an answer instead of waiting for commits that cannot come. Seen in its own /status,
   * which the operator still reaches during the cut; it must happen before the heal.
   */
  private void cutOffLeaderStepsDown(Timeline timeline, String channel, Instant cutSurelyOver,
      List<Timing> timings, List<Expectation> expectations) {
    Optional<OrdererChannelStatus> before = Timings.leaderAt(timeline.latestAt(cutAt.earliest()).values(), channel);
    if (before.isEmpty() || !minority.contains(timeline.ordererName(before.get().consenterId()))) {
      return;
    }
    String leader = timeline.ordererName(before.get().consenterId());
    Timing stepDown = Timings.stepDown(timeline, cutAt, leader, channel, before.get().term())
        .named("cut → cut-off leader steps down");
    timings.add(stepDown);
    boolean duringCut = stepDown.observed() && cutAt.latest().plus(stepDown.value()).isBefore(cutSurelyOver);
    expectations.add(new Expectation("the leader cut off from the majority (" + shortNames(List.of(leader))
        + ") stops leading " + channel + " before the heal", duringCut,
        stepDown.observed() ? stepDown.note() + (duringCut ? "" : ", only after the heal") : stepDown.note()));
  }

  private static String shortNames(List<String> names) {
    return String.join(", ", names.stream().map(n -> n.contains(".") ? n.substring(0, n.indexOf('.')) : n).toList());
  }

}
