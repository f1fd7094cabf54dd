package io.raftswarm.swarm.drill;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.client.StatusSampler;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.drill.clock.FaultClock;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.fault.FaultInjector;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a drill works with while it runs: the network, the fault injector, the fault clock that
 * proves when a fault took effect, live status polls, and the recorder for events, fault
 * instants and expectations. Used from the drill's thread only (events may also be added by the
 * runner's shutdown hook, hence the synchronized lists).
 */
public final class DrillContext {
  private static final Duration POLL = Duration.ofMillis(100);

  private final NetworkProfile profile;
  private final FaultInjector faults;
  private final FaultClock faultClock;
  private final StatusSampler sampler;
  private final DrillSettings settings;
  private final Clock clock;
  private final PrintWriter progress;
  private final List<DrillEvent> events;
  private final List<Expectation> expectations;
  private final List<FaultInstant> instants;

  public DrillContext(NetworkProfile profile, FaultInjector faults, FaultClock faultClock,
      StatusSampler sampler, DrillSettings settings, Clock clock, PrintWriter progress) {
    this(profile, faults, faultClock, sampler, settings, clock, progress, Collections.synchronizedList(new ArrayList<>()),
        Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
  }

  private DrillContext(NetworkProfile profile, FaultInjector faults, FaultClock faultClock, StatusSampler sampler,
      DrillSettings settings, Clock clock, PrintWriter progress, List<DrillEvent> events, List<Expectation> expectations,
      List<FaultInstant> instants) {
    this.events = events;
    this.expectations = expectations;
    this.instants = instants;
    this.profile = profile;
    this.faults = faults;
    this.faultClock = faultClock;
    this.sampler = sampler;
    this.settings = settings;
    this.clock = clock;
    this.progress = progress;
  }

  public NetworkProfile profile() {
    return profile;
  }

  /**
   * The same recorder (events, instants, expectations go on in one report) over the network as a
   * drill's change left it: the nodes of {@code after}, polled through {@code afterSampler}.
   */
  public DrillContext rewired(NetworkProfile after, StatusSampler afterSampler) {
    return new DrillContext(after, faults, faultClock, afterSampler, settings, clock, progress, events, expectations,
        instants);
  }

  public FaultInjector faults() {
    return faults;
  }

  /** Proves when the faults the injector caused took effect. */
  public FaultClock faultClock() {
    return faultClock;
  }

  public DrillSettings settings() {
    return settings;
  }

  public Instant now() {
    return clock.instant();
  }

  /** Records an event now on the timeline and prints it as progress. */
  public Instant event(DrillEvent.Kind kind, String description, List<String> nodes) {
    return event(clock.instant(), kind, description, nodes);
  }

  /** Records an event at {@code at}. */
  public Instant event(Instant at, DrillEvent.Kind kind, String description, List<String> nodes) {
    events.add(new DrillEvent(at, kind, description, nodes));
    progress.println("  " + kind.name().toLowerCase() + ": " + description);
    progress.flush();
    return at;
  }

  /**
   * Records a fault (or heal, or restart) at the instant it took effect — the timeline event
   * sits at the instant's reference (its window's end) — and keeps the instant for the report.
   */
  public FaultInstant record(DrillEvent.Kind kind, FaultInstant instant, String description, List<String> nodes) {
    instants.add(instant);
    events.add(new DrillEvent(instant.reference(), kind, description, nodes));
    StringBuilder line = new StringBuilder("  ").append(kind.name().toLowerCase()).append(": ").append(description)
        .append("\n    took effect per ").append(instant.source());
    if (instant.isWindow()) {
      line.append(" (window ").append(String.format(java.util.Locale.ROOT, "%.1f", instant.width().toNanos() / 1e6))
          .append(" ms)");
    }
    if (instant.command() != null) {
      line.append("; `").append(instant.command().command()).append("` returned ")
          .append(Duration.between(instant.reference(), instant.command().returned()).toMillis()).append(" ms later");
    }
    instant.warnings().forEach(w -> line.append("\n    warning: ").append(w));
    progress.println(line);
    progress.flush();
    return instant;
  }

  public List<FaultInstant> instants() {
    synchronized (instants) {
      return List.copyOf(instants);
    }
  }

  public void note(String description) {
    event(DrillEvent.Kind.NOTE, description, List.of());
  }

  public void expect(String description, boolean met, String observed) {
    expectations.add(new Expectation(description, met, observed));
    progress.println("  " + (met ? "✔ " : "✘ ") + description + (observed.isEmpty() ? "" : " — " + observed));
    progress.flush();
  }

  public List<DrillEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  public List<Expectation> expectations() {
    synchronized (expectations) {
      return List.copyOf(expectations);
    }
  }

  /** One fresh poll of every orderer's /status. */
  public Map<String, StatusSample> poll() {
    return sampler.pollOnce();
  }

  public NetworkProfile.NodeEntry orderer(int consenterId) {
    return profile.orderers().stream().filter(o -> o.consenterId() == consenterId).findFirst()
        .orElseThrow(() -> new IllegalStateException("no orderer with consenter id " + consenterId
            + " in the network profile"));
  }

  /** The current leader of {@code channel} per a fresh poll, if any orderer reports one. */
  public Optional<NetworkProfile.NodeEntry> leaderOf(String channel) {
    return Timings.leaderAt(poll().values(), channel).map(c -> orderer(c.consenterId()));
  }

  /** Waits until an orderer not in {@code excluded} is LEADER of {@code channel}. */
  public Optional<NetworkProfile.NodeEntry> awaitLeader(String channel, Set<String> excluded,
      Duration timeout) throws InterruptedException {
    return waitUpTo(timeout, POLL).until(
        () -> leaderOf(channel).filter(n -> !excluded.contains(n.name())), Optional::isPresent);
  }

  /** Heights of {@code channel} per reachable orderer, per a fresh poll. */
  public Map<String, Long> heights(String channel) {
    Map<String, Long> out = new TreeMap<>();
    poll().forEach((node, s) -> {
      if (s.reachable()) {
        s.status().channel(channel).map(OrdererChannelStatus::height).ifPresent(h -> out.put(node, h));
      }
    });
    return out;
  }

  /**
   * Waits until the highest height of {@code channel} among {@code nodes} (all orderers when
   * empty) exceeds {@code floor}; returns that height, or the highest seen at the timeout.
   */
  public long awaitHeightAbove(String channel, long floor, Set<String> nodes, Duration timeout)
      throws InterruptedException {
    return waitUpTo(timeout, Duration.ofMillis(200)).until(
        () -> heights(channel).entrySet().stream()
            .filter(e -> nodes.isEmpty() || nodes.contains(e.getKey()))
            .mapToLong(Map.Entry::getValue).max().orElse(0),
        h -> h > floor);
  }

  /**
   * Waits (up to the converge timeout) until {@code node} has the height the highest other
   * orderer had in this poll or the one before (as {@code Timings.catchUp}: under a fast load a
   * follower that keeps up may trail by a block in every poll); notes the outcome either way.
   */
  public boolean awaitCaughtUp(String channel, String node) throws InterruptedException {
    long[] othersBefore = {Long.MAX_VALUE};
    boolean[] caughtUp = {false};
    Map<String, Long> h = waitUpTo(settings.convergeTimeout(), POLL).until(
        () -> heights(channel), heights -> {
          long others = othersMax(heights, node);
          caughtUp[0] = heights.containsKey(node) && heights.get(node) >= Math.min(others, othersBefore[0]);
          othersBefore[0] = others;
          return caughtUp[0];
        });
    if (caughtUp[0]) {
      note(node + " caught up at height " + h.get(node));
      return true;
    }
    note(node + " had not caught up within " + settings.convergeTimeout().toSeconds() + " s");
    return false;
  }

  private static long othersMax(Map<String, Long> heights, String node) {
    return heights.entrySet().stream().filter(e -> !e.getKey().equals(node))
        .mapToLong(Map.Entry::getValue).max().orElse(0);
  }

  /** Waits until every orderer answers with equal height and last block hash on every channel. */
  public boolean awaitConverged(Duration timeout) throws InterruptedException {
    List<String> names = profile.orderers().stream().map(NetworkProfile.NodeEntry::name).toList();
    return waitUpTo(timeout, POLL).until(
        () -> Timings.isConverged(poll().values(), names, profile.channels()), converged -> converged);
  }

  /** Polls on the drill's clock. */
  Wait waitUpTo(Duration timeout, Duration interval) {
    return Wait.upTo(timeout, interval).on(clock);
  }

  /** Lets the load run for {@code d} while the sampler watches. */
  public void hold(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  public void progress(String line) {
    progress.println(line);
    progress.flush();
  }
}
