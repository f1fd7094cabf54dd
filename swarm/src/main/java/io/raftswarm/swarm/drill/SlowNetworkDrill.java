package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.clock.CutLog;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.FaultInstants;
import io.raftswarm.swarm.drill.fault.FaultInjector;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A slow WAN between the hosts: every host delays what it sends to the other hosts by
 * {@code delay} ± {@code jitter} (normal distribution) for {@code --hold} seconds, so
 * a message between hosts takes about that long one way and a round trip twice. Set near the
 * election timeout, it shows whether heartbeats that arrive late cost leader changes. The delay is
 * tc netem, or where the kernel has no netem an NFQUEUE rule and a python3 helper that holds the
 * packets (FaultInjector#delay).
 *
 * <p>Expected: every channel keeps ordering while delayed and no leader changes. The load goes
 * to every orderer. The safety verdict then checks the chains as after any drill.
 */
public final class SlowNetworkDrill implements Drill {
  private final Duration delay;
  private final Duration jitter;
  private final Map<String, Long> heightsAtDelay = new HashMap<>();
  private FaultInstant delayedAt;
  private FaultInstant restoredAt;
  /** What each host's NFQUEUE delay helper held ("host1: held 3938 packets, mean 150 ms, max 332 ms"); empty with netem. */
  private final List<String> helperCounts = new ArrayList<>();

  public SlowNetworkDrill(Duration delay, Duration jitter) {
    if (delay.isNegative() || delay.isZero() || jitter.isNegative()) {
      throw new IllegalArgumentException("delay must be > 0 and jitter >= 0, got " + delay + " ± " + jitter);
    }
    this.delay = delay;
    this.jitter = jitter;
  }

  @Override
  public String name() {
    return "slow-network";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    return ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name).toList();
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    List<String> hosts = ctx.profile().hosts().stream().map(HostAccess::name).toList();
    List<FaultInstant> delays = new ArrayList<>();
    for (String host : hosts) {
      delays.add(ctx.faultClock().changed("delay " + host, "delay added", ctx.faults().delay(host, delay, jitter)));
    }
    delayedAt = ctx.record(DrillEvent.Kind.FAULT, FaultInstants.lastOf("every host delayed", delays),
        "delay " + delay.toMillis() + " ms ± " + jitter.toMillis() + " ms on what each of " + hosts
            + " sends to the others", List.of());
    for (String channel : ctx.profile().channels()) {
      heightsAtDelay.put(channel, maxHeight(ctx, channel));
    }
    ctx.hold(ctx.settings().hold());
    for (String channel : ctx.profile().channels()) {
      long now = maxHeight(ctx, channel);
      ctx.expect("ordering continues on " + channel + " while the network is slow", now > heightsAtDelay.get(channel),
          "height " + heightsAtDelay.get(channel) + " → " + now + " in " + ctx.settings().hold().toSeconds() + " s");
    }
    List<FaultInstant> restores = new ArrayList<>();
    for (String host : hosts) {
      CutLog undone = ctx.faults().undelay(host);
      undone.rules().stream().filter(r -> r.startsWith(FaultInjector.DELAY_HELPER_STOPPED))
          .forEach(r -> helperCounts.add(host + ": " + r.substring(FaultInjector.DELAY_HELPER_STOPPED.length())));
      restores.add(ctx.faultClock().changed("undelay " + host, "delay removed", undone));
    }
    restoredAt = ctx.record(DrillEvent.Kind.HEAL, FaultInstants.lastOf("every delay removed", restores),
        "delay removed on " + hosts + (helperCounts.isEmpty() ? "" : " (NFQUEUE helpers " + String.join("; ", helperCounts) + ")"),
        List.of());
  }

  private static long maxHeight(DrillContext ctx, String channel) {
    return ctx.heights(channel).values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (delayedAt != null) {
      timings.add(Timings.unavailability(load.records(), delayedAt,
          restoredAt == null ? timeline.end() : restoredAt.latest(), Set.of(), ""));
      for (String channel : ctx.profile().channels()) {
        long changes = Timings.termChanges(timeline, channel, delayedAt.earliest(),
            restoredAt == null ? timeline.end() : restoredAt.latest());
        expectations.add(new Expectation("no leader change on " + channel + " while the network is slow",
            changes == 0, changes + " term change" + (changes == 1 ? "" : "s") + " seen in /status"));
      }
      if (!helperCounts.isEmpty()) {
        // netem leaves no count behind; the NFQUEUE helper's is the proof its delay took effect
        expectations.add(new Expectation("every host's delay held packets",
            helperCounts.stream().noneMatch(c -> c.contains("held 0 packets") || !c.contains("held ")),
            String.join("; ", helperCounts)));
      }
    }
    return new Conclusion("delay " + delay.toMillis() + " ms ± " + jitter.toMillis()
        + " ms on every host's traffic to the other hosts for ≥ " + ctx.settings().hold().toSeconds()
        + " s; load to all orderers", timings, expectations);
  }
}
