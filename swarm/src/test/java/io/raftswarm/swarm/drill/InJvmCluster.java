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
import io.raftswarm.swarm.drill.fault.HostShell;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N real orderers in this JVM on loopback (TLS, Ratis), presented to the drill code as one
 * "host": a {@link HostShell} that turns the injector's {@code docker kill/stop/start} commands
 * into closing and starting the in-JVM orderers, and an {@link EngineWitness} that reports when
 * it did so as the engine's die/start events (on the operator's own clock). Lets a whole drill
 * run without Docker or SSH. {@code docker pause/unpause} cannot freeze an in-JVM orderer; they
 * are emulated as stop/start (logged as pause/unpause events), which checks a freeze drill's
 * wiring, not the gray failure itself (the lab does that).
 */
final class InJvmCluster implements AutoCloseable, HostShell, EngineWitness {
  static final String HOST = "local";
  static final String CHANNEL = "mychannel";
  private static final Pattern DOCKER = Pattern.compile("docker -H \\S+ (kill --signal KILL|stop -t \\d+|start|pause|unpause) (.+)");

  final LocalNetworkFixture fixture;
  private final Path dir;
  private final Map<String, Orderer> running = new ConcurrentHashMap<>();
  final List<String> commands = new ArrayList<>();
  /** What a Docker engine would have logged: container → (action, when), in order. */
  private final List<EngineEvent> engineEvents = new java.util.concurrent.CopyOnWriteArrayList<>();

  InJvmCluster(Path dir, int size) {
    this.dir = dir;
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
    Map<String, String> env = fixture.ordererEnvironment(node.id(), ledgerDir(name));
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
  public synchronized ExecResult exec(String host, String command, Duration timeout) {
    commands.add(command);
    Matcher m = DOCKER.matcher(command);
    if (!m.matches()) {
      return new ExecResult(host, command, 127, "", "in-JVM host runs only docker kill/stop/start/pause/unpause");
    }
    for (String quoted : m.group(2).trim().split("\\s+")) {
      String name = quoted.replace("'", "");
      try {
        switch (m.group(1)) {
          case "start" -> {
            if (!running.containsKey(name)) {
              start(name);
            }
          }
          case "unpause" -> start(name, "unpause");
          case "pause" -> halt(name, "pause");
          case "kill --signal KILL" -> halt(name, "die");
          default -> stopGracefully(name);
        }
      } catch (Exception e) {
        return new ExecResult(host, command, 1, "", e.toString());
      }
    }
    return new ExecResult(host, command, 0, "", "");
  }

  @Override
  public boolean isRoot(String host) {
    return true;
  }

  @Override
  public void close() {
    List.copyOf(running.keySet()).forEach(this::stop);
  }
}
