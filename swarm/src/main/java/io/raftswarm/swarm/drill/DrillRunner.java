package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.client.StatusSampler;
import io.raftswarm.swarm.drill.collect.PeerStatusReader;
import io.raftswarm.swarm.drill.load.LoadGenerator;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.load.LoadSummary;
import io.raftswarm.swarm.drill.report.DrillReport;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.drill.verdict.SafetyChecker;
import io.raftswarm.swarm.drill.verdict.SafetyInputs;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame every drill runs in: check the network is healthy, start status sampling and the
 * background load, run the drill's faults, heal (in a finally block, and from a shutdown hook on
 * Ctrl-C), let the load settle and stop, wait for convergence, collect every node's chain and
 * state, and decide the safety verdict. Returns the report; never leaves the network broken
 * unless healing itself fails (then the report's events say so).
 */
public final class DrillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DrillRunner.class);

  private final DrillContext ctx;
  private final StatusSampler sampler;
  private final Function<List<String>, LoadGenerator> loadFactory;
  private final SafetyCollection collection;
  private final Clock clock;
  private final ZoneId zone;
  private Function<NetworkProfile, Rewired> rewire = after -> {
    throw new IllegalStateException("this runner cannot follow a change of the network's members");
  };

  /** What the runner needs to judge a network whose members a drill changed. */
  public record Rewired(StatusSampler sampler, SafetyCollection collection) {}

  /** How to reach the network after a drill changed its members ({@link Drill#profileAfter()}). */
  public DrillRunner onMembersChanged(Function<NetworkProfile, Rewired> rewire) {
    this.rewire = rewire;
    return this;
  }

  public DrillRunner(DrillContext ctx, StatusSampler sampler,
      Function<List<String>, LoadGenerator> loadFactory, SafetyCollection collection, Clock clock,
      ZoneId zone) {
    this.ctx = ctx;
    this.sampler = sampler;
    this.loadFactory = loadFactory;
    this.collection = collection;
    this.clock = clock;
    this.zone = zone;
  }

  public DrillReport run(Drill drill) throws InterruptedException {
    NetworkProfile profile = ctx.profile();
    Instant started = clock.instant();
    preflight(profile);
    measureClocks(profile);
    ctx.progress("drill " + drill.name() + ": sampling /status of " + profile.orderers().size()
        + " orderers every 100 ms");
    sampler.start();
    List<String> targets = drill.loadTargets(ctx);
    LoadResult loadResult;
    Thread healOnExit = new Thread(() -> {
      List<String> healed = ctx.faults().heal();
      if (!healed.isEmpty()) {
        System.err.println("raftswarm drill interrupted; healed: " + String.join("; ", healed));
      }
    }, "drill-heal-on-exit");
    Runtime.getRuntime().addShutdownHook(healOnExit);
    try (LoadGenerator load = loadFactory.apply(targets)) {
      load.start();
      ctx.note("load started: " + ctx.settings().loadRate() + " tx/s to " + shortNames(targets));
      ctx.hold(ctx.settings().warmup());
      try {
        drill.execute(ctx);
      } catch (RuntimeException e) {
        // a fault or repair command failed: still heal, collect and report what happened
        LOG.error("drill {} aborted", drill.name(), e);
        ctx.note("drill aborted: " + e.getMessage());
        ctx.expect("the drill runs to the end", false, String.valueOf(e.getMessage()));
      } finally {
        List<String> healed = ctx.faults().heal();
        if (!healed.isEmpty()) {
          ctx.event(DrillEvent.Kind.HEAL, "safety net healed: " + String.join("; ", healed), List.of());
        }
      }
      ctx.hold(ctx.settings().settle());
      load.stop();
      ctx.note("load stopping; waiting for outstanding answers");
      try {
        loadResult = load.done().get(ctx.settings().maxDuration().toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the load did not finish: " + e, e);
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(healOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting; the hook runs anyway
      }
    }

    // Convergence and the verdict cover the network as the drill left it.
    DrillContext judged = ctx;
    SafetyCollection judgedCollection = collection;
    NetworkProfile judgedProfile = profile;
    Optional<NetworkProfile> after = drill.profileAfter();
    if (after.isPresent()) {
      Rewired r = rewire.apply(after.get());
      judged = ctx.rewired(after.get(), r.sampler());
      judgedCollection = r.collection();
      judgedProfile = after.get();
      ctx.note("the network now has " + judgedProfile.orderers().size() + " orderers and " + judgedProfile.peers().size()
          + " peers (network.json): convergence and the verdict cover them");
    }
    boolean converged = judged.awaitConverged(ctx.settings().convergeTimeout());
    ctx.note(converged ? "all orderers converged" : "orderers did not converge within "
        + ctx.settings().convergeTimeout().toSeconds() + " s");
    sampler.close();
    Instant finished = clock.instant();
    Map<Integer, String> consenters = new HashMap<>();
    profile.orderers().forEach(o -> consenters.put(o.consenterId(), o.name()));
    Timeline timeline = new Timeline(started, finished,
        profile.orderers().stream().map(NetworkProfile.NodeEntry::name).toList(),
        profile.channels(), consenters, sampler.samples(), ctx.events());

    ctx.progress("collecting every orderer's chain and every peer's state for the verdict");
    awaitPeers(judgedProfile);
    SafetyInputs inputs = judgedCollection.collect(LoadSummary.acknowledged(loadResult),
        LoadSummary.unacknowledged(loadResult));
    SafetyVerdict verdict = new SafetyChecker(zone).check(inputs);

    Drill.Conclusion c = drill.conclude(ctx, timeline, loadResult);
    List<Timing> timings = new ArrayList<>(c.timings());
    List<Expectation> expectations = new ArrayList<>(ctx.expectations());
    expectations.addAll(c.expectations());
    expectations.add(new Expectation("all orderers converge after the drill", converged,
        converged ? "equal height and last block hash on every channel" : "not within "
            + ctx.settings().convergeTimeout().toSeconds() + " s"));
    return new DrillReport(drill.name(), profile.name(), c.description(), started, clock.instant(),
        expectations, timings, ctx.instants(), LoadSummary.of(loadResult), verdict, timeline);
  }

  /**
   * Measures every host's clock against ours before anything breaks, so fault instants read from
   * the engines can be placed on our clock (and an unreachable engine shows up now, as a note,
   * not as a missing timestamp later).
   */
  private void measureClocks(NetworkProfile profile) {
    for (HostAccess h : profile.hosts()) {
      ctx.note("clock: " + ctx.faultClock().clockOf(h.name()).describe());
    }
  }

  /**
   * Refuses to break a network that is already broken: every orderer up, a leader per channel.
   * Retries for a while, so one slow answer on a busy machine does not stop the drill.
   */
  private void preflight(NetworkProfile profile) throws InterruptedException {
    ctx.waitUpTo(ctx.settings().electionTimeout(), Duration.ofMillis(500)).untilOrThrow(
        () -> healthProblem(profile, ctx.poll()), Objects::isNull, problem -> { }, UserError::new);
  }

  private static String healthProblem(NetworkProfile profile, Map<String, StatusSample> poll) {
    List<String> down = poll.values().stream().filter(s -> !s.reachable())
        .map(s -> s.node() + " (" + s.error() + ")").toList();
    if (!down.isEmpty()) {
      return "the network is not healthy before the drill: " + String.join(", ", down)
          + "; fix it first (raftswarm drill heal starts stopped containers and removes drill rules)";
    }
    for (String channel : profile.channels()) {
      if (Timings.leaderAt(poll.values(), channel).isEmpty()) {
        return "channel " + channel + " has no Raft leader before the drill; wait for an election "
            + "or check the orderers' logs";
      }
    }
    return null;
  }

  /** Gives peers a bounded chance to pull the last blocks, so their hashes can be compared. */
  private void awaitPeers(NetworkProfile profile) throws InterruptedException {
    if (profile.peers().isEmpty()) {
      return;
    }
    Map<String, Long> target = new HashMap<>();
    for (String channel : profile.channels()) {
      target.put(channel, ctx.heights(channel).values().stream().mapToLong(Long::longValue).max().orElse(0));
    }
    PeerStatusReader reader = new PeerStatusReader(Duration.ofSeconds(2));
    boolean reached = ctx.waitUpTo(ctx.settings().convergeTimeout(), Duration.ofMillis(200)).until(
        () -> profile.peers().stream().allMatch(p -> reached(reader, p, target)), all -> all);
    if (!reached) {
      LOG.warn("peers did not reach the orderers' heights {} within {}", target,
          ctx.settings().convergeTimeout());
    }
  }

  /** Whether the peer holds at least {@code target} blocks of every channel it has joined. */
  private static boolean reached(PeerStatusReader reader, NetworkProfile.NodeEntry peer, Map<String, Long> target) {
    try {
      return reader.read(peer.name(), peer.operationsEndpoint()).stream()
          .allMatch(l -> l.height() >= target.getOrDefault(l.channel(), 0L));
    } catch (IOException e) {
      return false;
    }
  }

  private static String shortNames(List<String> names) {
    return names.stream().map(n -> n.contains(".") ? n.substring(0, n.indexOf('.')) : n)
        .collect(Collectors.joining(", "));
  }
}
