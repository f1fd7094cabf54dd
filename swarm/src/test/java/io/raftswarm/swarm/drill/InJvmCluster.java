package io.raftswarm.swarm.drill;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.testing.LocalNetworkFixture.OrdererNode;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.orderer.Orderer;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.drill.clock.ClockOffset;
import io.raftswarm.swarm.drill.clock.EngineEvent;
import io.raftswarm.swarm.drill.clock.EngineWitness;
import io.raftswarm.swarm.drill.clock.Noticed;
import io.raftswarm.swarm.drill.fault.ContainerState;
import io.raftswarm.swarm.drill.fault.Containers;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * N real orderers in this JVM on loopback (TLS, Ratis), presented to the drill code as one
 * "host": {@link Containers} that turn the injector's kill/stop/start into halting, closing and
 * starting the in-JVM orderers, and an {@link EngineWitness} that reports when it did so as the
 * engine's die/start events (on the operator's own clock). Lets a whole drill run without Docker
 * or SSH. A pause cannot freeze an in-JVM orderer; pause/unpause are emulated as halt/start
 * (logged as pause/unpause events), which checks a freeze drill's wiring, not the gray failure
 * itself (the lab does that). The orderers have no network namespace of their own: the
 * blackhole, partition and slow-network drills need the lab.
 */
final class InJvmCluster implements AutoCloseable, Containers, EngineWitness {
  static final String HOST = "local";
  static final String CHANNEL = "mychannel";

  final LocalNetworkFixture fixture;
  private final Path dir;
  private final Map<String, Orderer> running = new ConcurrentHashMap<>();
  /** The calls the drill made, e.g. "kill orderer2.example.com", "stop -t 10 orderer.example.com". */
  final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** What a Docker engine would have logged: container → (action, when), in order. */
  private final List<EngineEvent> engineEvents = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** ORDERER_* settings every orderer gets on top of the fixture's. */
  private final Map<String, String> extraEnvironment;

  InJvmCluster(Path dir, int size) {
    this(dir, size, Map.of());
  }

  InJvmCluster(Path dir, int size, Map<String, String> extraEnvironment) {
    this.dir = dir;
    this.extraEnvironment = Map.copyOf(extraEnvironment);
    this.fixture = LocalNetworkFixture.create(dir, size, 0, List.of(CHANNEL), RaftOptions.defaults(),
        new BatchSettings(Duration.ofMillis(200), 10, 256 * 1024, 128 * 1024));
  }

  void startAll() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (OrdererNode node : fixture.orderers()) {
      Thread t = new Thread(() -> {
        try {
          start(node.name());
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("orderers failed to start", failures.get(0));
    }
  }

  void start(String name) throws Exception {
    start(name, "start");
  }

  private void start(String name, String action) throws Exception {
    OrdererNode node = node(name);
    Map<String, String> env = new java.util.HashMap<>(fixture.ordererEnvironment(node.id(), ledgerDir(name)));
    env.putAll(extraEnvironment);
    running.put(name, Orderer.start(OrdererConfigLoader.load(env)));
    engineEvents.add(event(name, action));
  }

  void stop(String name) {
    halt(name, "die");
  }

  /** kill -9, pause: the orderer gets no chance to hand anything off. */
  private void halt(String name, String action) {
    Orderer o = running.remove(name);
    if (o != null) {
      // a kill takes effect at once; the in-JVM halt that stands in for it takes ~1 s
      engineEvents.add(event(name, action));
      o.halt();
    }
  }

  /** docker stop: SIGTERM (the engine's kill event), the orderer's graceful close, then its exit. */
  private void stopGracefully(String name) {
    Orderer o = running.remove(name);
    if (o != null) {
      engineEvents.add(event(name, "kill"));
      o.close();
      engineEvents.add(event(name, "die"));
    }
  }

  private static EngineEvent event(String name, String action) {
    Instant now = Instant.now();
    return EngineEvent.ofNanos(HOST, name, action, now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  @Override
  public ClockOffset clock(String host) {
    return ClockOffset.same(host, "in-process orderers");
  }

  @Override
  public Optional<EngineEvent> event(String host, String container, String action, Instant since, Duration wait) {
    return engineEvents.stream()
        .filter(e -> e.container().equals(container) && e.action().equals(action) && !e.time().isBefore(since))
        .findFirst();
  }

  @Override
  public Optional<Instant> finishedAt(String host, String container) {
    return engineEvents.stream().filter(e -> e.container().equals(container) && e.action().equals("die"))
        .reduce((a, b) -> b).map(EngineEvent::time);
  }

  /** In-process orderers share one log with no engine timestamps: nothing to offer (the engine's records stand). */
  @Override
  public Optional<Noticed> firstLogLine(String host, String container, String text, Instant since) {
    return Optional.empty();
  }

  Path ledgerDir(String name) {
    return dir.resolve("data").resolve(name);
  }

  Path ledgerFile(String name) {
    return ledgerDir(name).resolve("chains").resolve(CHANNEL).resolve("blockfile_000000");
  }

  private OrdererNode node(String name) {
    return fixture.orderers().stream().filter(o -> o.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no orderer " + name));
  }

  NetworkProfile profile() {
    var ordererOrg = fixture.crypto().org("OrdererOrg");
    String tlsCa = fixture.crypto().tlsCaCert(ordererOrg).toString();
    List<NetworkProfile.NodeEntry> nodes = fixture.orderers().stream()
        .map(o -> new NetworkProfile.NodeEntry(o.name(), "orderer", "OrdererOrg", "OrdererMSP", HOST,
            o.name() + ":7050", "127.0.0.1:" + o.port(), "127.0.0.1:" + o.operationsPort(), tlsCa, o.id()))
        .toList();
    return new NetworkProfile("in-jvm", "example.com", fixture.cryptoDir().toString(), List.of(CHANNEL),
        List.of(new HostAccess(HOST, "127.0.0.1", true, dir.toString())), nodes);
  }

  ClientIdentity user() {
    return new ClientIdentity("User1@org1.example.com", fixture.user("Org1", "User1"), fixture.clientTls("Org1"));
  }

  @Override
  public synchronized void kill(String host, List<String> nodes) {
    commands.add("kill " + String.join(" ", nodes));
    nodes.forEach(n -> halt(n, "die"));
  }

  @Override
  public synchronized void stop(String host, List<String> nodes, Duration grace) {
    commands.add("stop -t " + grace.toSeconds() + " " + String.join(" ", nodes));
    nodes.forEach(this::stopGracefully);
  }

  @Override
  public synchronized void start(String host, List<String> nodes) {
    commands.add("start " + String.join(" ", nodes));
    for (String n : nodes) {
      if (!running.containsKey(n)) {
        startOrFail(n, "start");
      }
    }
  }

  @Override
  public synchronized void pause(String host, List<String> nodes) {
    commands.add("pause " + String.join(" ", nodes));
    nodes.forEach(n -> halt(n, "pause"));
  }

  @Override
  public synchronized void unpause(String host, List<String> nodes) {
    commands.add("unpause " + String.join(" ", nodes));
    nodes.forEach(n -> startOrFail(n, "unpause"));
  }

  private void startOrFail(String name, String action) {
    try {
      start(name, action);
    } catch (Exception e) {
      throw new IllegalStateException(action + " " + name + ": " + e, e);
    }
  }

  /** No process of its own: pid 0 (nothing to nsenter). */
  @Override
  public List<ContainerState> states(String host) {
    return fixture.orderers().stream()
        .map(o -> new ContainerState(o.name(), running.containsKey(o.name()) ? "running" : "exited", 0))
        .toList();
  }

  @Override
  public void close() {
    List.copyOf(running.keySet()).forEach(this::stop);
  }
}
