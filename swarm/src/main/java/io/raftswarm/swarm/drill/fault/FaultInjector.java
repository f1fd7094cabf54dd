package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.CutLog;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.RemoteHostException;
import io.raftswarm.swarm.remote.RemoteShell;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks the network on its hosts the way an operator would: through each host's Docker engine
 * API over SSH ({@link Containers}, which finds the containers by their labels) the equivalent
 * of {@code docker kill --signal KILL}, {@code docker stop}/{@code start}, {@code docker
 * pause}/{@code unpause}; and in the host's shell over SSH, iptables DROP rules inside a host
 * that cut it off from the other hosts (both directions; the Swarm overlay rides on the host
 * addresses, so it is cut too; the operator's own SSH path comes from another address and
 * survives). Every rule carries the iptables comment {@value #TAG}, so
 * {@link #healHost} removes exactly those rules and nothing else.
 *
 * <p>Each fault returns what is needed to prove when it took effect: the command's span on the
 * operator's clock for container faults (the engine's own records are read afterwards, see
 * {@code FaultClock}), and for a cut or heal the host's probes across it ({@link CutScript}).
 * The span alone is no evidence: over SSH a command can start seconds late and return
 * seconds after it did its work.
 *
 * <p>Remembers what it broke; {@link #heal()} undoes it (idempotent, safe to call from a
 * shutdown hook concurrently with the drill thread). {@link #healEverything()} also cleans up
 * after a drill that died without healing: all tagged rules on every host, every paused network
 * container is unpaused and every one that is not running is started.
 */
public final class FaultInjector {
  /** The iptables comment on every rule a drill inserts. */
  public static final String TAG = "raftswarm-drill";
  /**
   * How the removal of an NFQUEUE delay starts its report of what the helper held ("held N
   * packets, mean D ms, max M ms"), one of the undelay {@link CutLog}'s rules; netem reports none.
   */
  public static final String DELAY_HELPER_STOPPED = "nfqueue delay helper stopped: ";
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  /** {@code docker stop}'s default: the orderer hands off leadership and exits well within it. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final HostShell shell;
  private final Containers containers;
  private final NetworkProfile profile;
  private final Set<String> isolatedHosts = new LinkedHashSet<>();
  private final Set<String> downContainers = new LinkedHashSet<>();
  private final Set<String> pausedContainers = new LinkedHashSet<>();
  private final Set<String> blackholedContainers = new LinkedHashSet<>();
  private final Set<String> delayedHosts = new LinkedHashSet<>();
  private final Clock clock;

  /**
   * @param clock the operator's clock, for the commands' spans
   */
  public FaultInjector(HostShell shell, Containers containers, NetworkProfile profile, Clock clock) {
    this.shell = Objects.requireNonNull(shell, "shell");
    this.containers = Objects.requireNonNull(containers, "containers");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** kill -9 the node's container (no graceful shutdown: the process gets SIGKILL). */
  public CommandSpan kill(NetworkProfile.NodeEntry node) {
    markDown(node);
    return docker(node.host(), List.of(node.name()), "kill --signal KILL", "kill -9 ", containers::kill);
  }

  /** Stops the node's container gracefully (SIGTERM, then SIGKILL after 10 s). */
  public CommandSpan stop(NetworkProfile.NodeEntry node) {
    markDown(node);
    return docker(node.host(), List.of(node.name()), "stop -t " + STOP_GRACE.toSeconds(), "stop ", this::stopContainers);
  }

  /** Starts the node's container (a no-op when it is running). */
  public CommandSpan start(NetworkProfile.NodeEntry node) {
    CommandSpan span = docker(node.host(), List.of(node.name()), "start", "start ", containers::start);
    synchronized (this) {
      downContainers.remove(node.name());
    }
    return span;
  }

  /**
   * Freezes every process of the node's container (cgroup freezer): it keeps its sockets and
   * state but answers nothing — a gray failure, alive but silent.
   */
  public CommandSpan pause(NetworkProfile.NodeEntry node) {
    synchronized (this) {
      pausedContainers.add(node.name());
    }
    return docker(node.host(), List.of(node.name()), "pause", "pause ", containers::pause);
  }

  /** Thaws a paused container; its processes resume where they stopped. */
  public CommandSpan unpause(NetworkProfile.NodeEntry node) {
    CommandSpan span = docker(node.host(), List.of(node.name()), "unpause", "unpause ", containers::unpause);
    synchronized (this) {
      pausedContainers.remove(node.name());
    }
    return span;
  }

  /** Stops the nodes' containers, one {@code docker stop} per host, hosts in parallel. */
  public CommandSpan stopAll(List<NetworkProfile.NodeEntry> nodes) {
    nodes.forEach(this::markDown);
    Instant issued = clock.instant();
    perHost(nodes, (host, names) -> docker(host, names, "stop -t " + STOP_GRACE.toSeconds(), "stop ",
        this::stopContainers));
    return new CommandSpan("docker stop (" + nodes.size() + " containers)", issued, clock.instant());
  }

  /** kill -9 of the nodes' containers, one {@code docker kill} per host, hosts in parallel. */
  public CommandSpan killAll(List<NetworkProfile.NodeEntry> nodes) {
    nodes.forEach(this::markDown);
    Instant issued = clock.instant();
    perHost(nodes, (host, names) -> docker(host, names, "kill --signal KILL", "kill -9 ", containers::kill));
    return new CommandSpan("docker kill (" + nodes.size() + " containers)", issued, clock.instant());
  }

  /** Starts the nodes' containers, one {@code docker start} per host, hosts in parallel. */
  public CommandSpan startAll(List<NetworkProfile.NodeEntry> nodes) {
    Instant issued = clock.instant();
    perHost(nodes, (host, names) -> docker(host, names, "start", "start ", containers::start));
    synchronized (this) {
      nodes.forEach(n -> downContainers.remove(n.name()));
    }
    return new CommandSpan("docker start (" + nodes.size() + " containers)", issued, clock.instant());
  }

  private void perHost(List<NetworkProfile.NodeEntry> nodes, BiConsumer<String, List<String>> action) {
    Map<String, List<String>> byHost = new LinkedHashMap<>();
    nodes.forEach(n -> byHost.computeIfAbsent(n.host(), h -> new ArrayList<>()).add(n.name()));
    List<java.util.concurrent.CompletableFuture<Void>> runs = byHost.entrySet().stream()
        .map(e -> java.util.concurrent.CompletableFuture.runAsync(() -> action.accept(e.getKey(), e.getValue())))
        .toList();
    List<String> errors = new ArrayList<>();
    for (var r : runs) {
      try {
        r.join();
      } catch (java.util.concurrent.CompletionException e) {
        errors.add(e.getCause().getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new RemoteHostException(String.join("; ", errors));
    }
  }

  /**
   * Cuts {@code host} off from every other host of the network, in both directions, by rules
   * inside {@code host}, probing across the cut before and after (see {@link CutScript}).
   */
  public CutLog isolate(String host) {
    List<String> others = otherAddresses(host);
    if (others.isEmpty()) {
      throw new IllegalArgumentException("cannot isolate " + host + ": it is the network's only host");
    }
    synchronized (this) {
      isolatedHosts.add(host);
    }
    Instant issued = clock.instant();
    ExecResult r = run(host, CutScript.isolate(iptables(host), others, TAG), "isolate " + host + " from " + others);
    CommandSpan span = new CommandSpan("isolate " + host, issued, clock.instant());
    return CutScript.parse(host, span, r.stdout(),
        CutScript.rules(others, TAG).stream().map(rule -> "-A " + rule).toList());
  }

  /**
   * Removes the drill's rules on {@code host} and probes across the former cut until every other
   * host answers again (bounded), so the heal's instant can be proven.
   */
  public CutLog reconnect(String host) {
    List<String> others = otherAddresses(host);
    Instant issued = clock.instant();
    ExecResult r = run(host, CutScript.reconnect(iptables(host), others, TAG),
        "remove " + TAG + " iptables rules on " + host);
    CommandSpan span = new CommandSpan("heal " + host, issued, clock.instant());
    synchronized (this) {
      isolatedHosts.remove(host);
    }
    return CutScript.parse(host, span, r.stdout(), List.of());
  }

  /**
   * Removes every rule tagged {@value #TAG} from INPUT and OUTPUT on {@code host} (no probes: the
   * safety net's way, as quick as possible).
   *
   * @return the rules removed, as {@code iptables -S} printed them
   */
  public List<String> healHost(String host) {
    ExecResult r = run(host, CutScript.remove(iptables(host), TAG), "remove " + TAG + " iptables rules on " + host);
    synchronized (this) {
      isolatedHosts.remove(host);
    }
    return CutScript.removed(r.stdout());
  }

  private List<String> otherAddresses(String host) {
    return profile.hosts().stream()
        .filter(h -> !h.name().equals(host))
        .map(HostAccess::address)
        .toList();
  }

  /**
   * A one-way blackhole: inside the node's own network namespace, everything it sends except on
   * loopback is dropped; it still receives (and its peers' data still reaches it, unacknowledged).
   * Probes from that namespace to the other orderers' overlay addresses prove when it took
   * effect; the rule carries the tag {@value #TAG}.
   */
  public CutLog blackholeOutgoing(NetworkProfile.NodeEntry node) {
    return cutInNetworkOf(node, CutScript.outgoingRules(TAG), "blackhole what " + node.name() + " sends");
  }

  /**
   * Cuts a container off both ways: inside its network namespace, everything it sends or receives
   * except on loopback is dropped. The process keeps running with what it had; probes to the
   * other orderers prove when the cut took effect. {@link #restoreContainer} undoes it.
   */
  public CutLog isolateContainer(NetworkProfile.NodeEntry node) {
    return cutInNetworkOf(node, CutScript.isolationRules(TAG), "cut " + node.name() + " off");
  }

  private CutLog cutInNetworkOf(NetworkProfile.NodeEntry node, List<String> rules, String what) {
    synchronized (this) {
      blackholedContainers.add(node.name());
    }
    long pid = runningPid(node, what);
    Instant issued = clock.instant();
    ExecResult r = run(node.host(), inNetworkOf(node.host(), pid, CutScript.cut("iptables -w ", rules, peersOf(node))),
        what);
    CommandSpan span = new CommandSpan(what, issued, clock.instant());
    return CutScript.parse(node.host(), span, r.stdout(), rules.stream().map(rule -> "-A " + rule).toList());
  }

  /**
   * Removes the rules of {@link #blackholeOutgoing} or {@link #isolateContainer} and probes until
   * the others answer again.
   */
  public CutLog restoreContainer(NetworkProfile.NodeEntry node) {
    String what = "remove the blackhole of " + node.name();
    long pid = runningPid(node, what);
    Instant issued = clock.instant();
    ExecResult r = run(node.host(), inNetworkOf(node.host(), pid, CutScript.restore("iptables -w ", peersOf(node), TAG)),
        what);
    CommandSpan span = new CommandSpan("restore " + node.name(), issued, clock.instant());
    synchronized (this) {
      blackholedContainers.remove(node.name());
    }
    return CutScript.parse(node.host(), span, r.stdout(), List.of());
  }

  /**
   * Delays every packet {@code host} sends to the other hosts by {@code delay} ± {@code jitter}
   * (tc netem on the interfaces that route to them; where the kernel has no netem, an NFQUEUE
   * rule and a python3 helper that holds the packets, {@link NfqueueDelayScript}; traffic to
   * anywhere else, such as the operator's SSH, is not delayed).
   */
  public CutLog delay(String host, Duration delay, Duration jitter) {
    List<String> others = otherAddresses(host);
    if (others.isEmpty()) {
      throw new IllegalArgumentException("cannot delay " + host + ": it is the network's only host");
    }
    synchronized (this) {
      delayedHosts.add(host);
    }
    String what = "delay what " + host + " sends to " + others;
    Instant issued = clock.instant();
    String netem = NetemScript.add(sudo(host), others, delay, jitter);
    ExecResult r = exec(host, netem);
    if (!r.ok() && r.exitStatus() == 3 && r.stderr().contains(NetemScript.UNSUPPORTED)) {
      LOG.info("drill on {}: the kernel has no netem; delaying through NFQUEUE {} instead", host, NfqueueDelayScript.QUEUE);
      r = run(host, NfqueueDelayScript.add(sudo(host), others, delay, jitter), what);
    } else {
      check(host, r, what, netem);
    }
    CommandSpan span = new CommandSpan("delay " + host, issued, clock.instant());
    return CutScript.parse(host, span, r.stdout(), NetemScript.changes(r.stdout()));
  }

  /** Removes the delay of {@link #delay} (only a netem the drill added: see {@link NetemScript}). */
  public CutLog undelay(String host) {
    Instant issued = clock.instant();
    ExecResult r = run(host, NetemScript.remove(sudo(host), otherAddresses(host)), "remove the delay on " + host);
    CommandSpan span = new CommandSpan("undelay " + host, issued, clock.instant());
    synchronized (this) {
      delayedHosts.remove(host);
    }
    return CutScript.parse(host, span, r.stdout(), NetemScript.changes(r.stdout()));
  }

  /** The other orderers of the network as probe targets from inside {@code node}'s network. */
  private List<CutScript.Target> peersOf(NetworkProfile.NodeEntry node) {
    return profile.orderers().stream()
        .filter(o -> !o.name().equals(node.name()) && !o.overlayAddress().isEmpty())
        .map(o -> new CutScript.Target(o.overlayAddress(), o.internalPort()))
        .toList();
  }

  /**
   * Runs {@code script} in the network namespace of the process {@code pid} (a container's: its
   * own interfaces and iptables; the host's files and tools).
   */
  private String inNetworkOf(String host, long pid, String script) {
    return sudo(host) + "nsenter -t " + pid + " -n bash -c " + RemoteShell.quote(script);
  }

  /** The pid of the node's container as its engine reports it; empty when it has no process (not running). */
  private Optional<Long> pid(NetworkProfile.NodeEntry node) {
    return containers.states(node.host()).stream()
        .filter(c -> c.node().equals(node.name()) && c.hasProcess())
        .findFirst().map(ContainerState::pid);
  }

  /** The pid of the node's container; fails naming it and its host when it is not running. */
  private long runningPid(NetworkProfile.NodeEntry node, String what) {
    try {
      return pid(node).orElseThrow(() -> new RemoteHostException(what + " failed on " + node.host()
          + ": container " + node.name() + " is not running (start it, e.g. raftswarm drill heal)"));
    } catch (RemoteHostException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RemoteHostException(what + " failed on " + node.host() + ": " + e.getMessage(), e);
    }
  }

  private String sudo(String host) {
    return shell.isRoot(host) ? "" : "sudo -n ";
  }

  /** Undoes what this injector broke: its isolations, pauses, and the containers it killed or stopped. */
  public synchronized List<String> heal() {
    List<String> done = new ArrayList<>();
    for (String name : List.copyOf(pausedContainers)) {
      profile.node(name).ifPresent(node -> {
        try {
          unpause(node);
          done.add(node.host() + ": unpaused " + name);
        } catch (RuntimeException e) {
          done.add(node.host() + ": could not unpause " + name + ": " + e.getMessage());
          LOG.error("heal: {}", e.getMessage());
        }
      });
    }
    for (String name : List.copyOf(blackholedContainers)) {
      profile.node(name).ifPresent(node -> {
        try {
          healContainer(node).forEach(r -> done.add(node.host() + ": " + name + ": removed " + r));
        } catch (RuntimeException e) {
          done.add(node.host() + ": could not remove the blackhole of " + name + ": " + e.getMessage());
          LOG.error("heal: {}", e.getMessage());
        }
      });
    }
    for (String host : List.copyOf(delayedHosts)) {
      try {
        healDelay(host).forEach(r -> done.add(host + ": removed " + r));
      } catch (RuntimeException e) {
        done.add(host + ": could not remove the drill's delay: " + e.getMessage());
        LOG.error("heal: {}", e.getMessage());
      }
    }
    for (String host : List.copyOf(isolatedHosts)) {
      try {
        done.addAll(healHost(host).stream().map(r -> host + ": removed " + r).toList());
      } catch (RuntimeException e) {
        done.add(host + ": could not remove the drill's iptables rules: " + e.getMessage());
        LOG.error("heal: {}", e.getMessage());
      }
    }
    for (String name : List.copyOf(downContainers)) {
      profile.node(name).ifPresent(node -> {
        try {
          start(node);
          done.add(node.host() + ": started " + name);
        } catch (RuntimeException e) {
          done.add(node.host() + ": could not start " + name + ": " + e.getMessage());
          LOG.error("heal: {}", e.getMessage());
        }
      });
    }
    return done;
  }

  /**
   * Heals the whole network regardless of what this process did: removes tagged rules on every
   * host and starts every network container that is not running.
   */
  public synchronized List<String> healEverything() {
    List<String> done = new ArrayList<>();
    for (HostAccess host : profile.hosts()) {
      try {
        healHost(host.name()).forEach(r -> done.add(host.name() + ": removed " + r));
      } catch (RuntimeException e) {
        done.add(host.name() + ": could not remove the drill's iptables rules: " + e.getMessage());
      }
      try {
        healDelay(host.name()).forEach(r -> done.add(host.name() + ": removed " + r));
      } catch (RuntimeException e) {
        done.add(host.name() + ": could not remove the drill's delay: " + e.getMessage());
      }
      List<String> names = profile.nodes().stream()
          .filter(n -> n.host().equals(host.name())).map(NetworkProfile.NodeEntry::name).toList();
      if (names.isEmpty()) {
        continue;
      }
      try {
        Map<String, ContainerState> states = new LinkedHashMap<>();
        containers.states(host.name()).forEach(c -> states.put(c.node(), c));
        // a paused container is neither running nor startable: thaw it first
        for (String name : names) {
          if (states.containsKey(name) && states.get(name).paused()) {
            docker(host.name(), List.of(name), "unpause", "unpause ", containers::unpause);
            done.add(host.name() + ": unpaused " + name);
          }
        }
        for (String name : names) {
          ContainerState c = states.get(name);
          if (c == null || !(c.running() || c.paused())) {
            docker(host.name(), List.of(name), "start", "start ", containers::start);
            done.add(host.name() + ": started " + name);
          }
        }
      } catch (RuntimeException e) {
        done.add(host.name() + ": could not start stopped containers: " + e.getMessage());
      }
      try {
        done.addAll(healContainers(host.name(), names));
      } catch (RuntimeException e) {
        done.add(host.name() + ": could not remove the drill's rules inside its containers: " + e.getMessage());
      }
    }
    downContainers.clear();
    pausedContainers.clear();
    isolatedHosts.clear();
    blackholedContainers.clear();
    delayedHosts.clear();
    return done;
  }

  /** Removes the tagged rules inside the node's network namespace; nothing when the container is not running. */
  private List<String> healContainer(NetworkProfile.NodeEntry node) {
    Optional<Long> pid = pid(node);
    if (pid.isEmpty()) {
      return List.of(); // not running: a restarted container gets a fresh network namespace anyway
    }
    ExecResult r = shell.exec(node.host(), inNetworkOf(node.host(), pid.get(), CutScript.remove("iptables -w ", TAG)),
        COMMAND_TIMEOUT);
    if (!r.ok() && pid(node).isEmpty()) {
      return List.of(); // it stopped meanwhile (nsenter found no process): nothing left to heal
    }
    if (!r.ok()) {
      throw new RemoteHostException("remove " + TAG + " rules inside " + node.name() + " failed on " + node.host()
          + " (exit " + r.exitStatus() + "): " + r.tail(3));
    }
    synchronized (this) {
      blackholedContainers.remove(node.name());
    }
    return CutScript.removed(r.stdout());
  }

  /**
   * Removes the tagged rules inside every running container of {@code names} on {@code host}, in
   * one command for the host (a stopped container has no namespace, hence no rules).
   */
  private List<String> healContainers(String host, List<String> names) {
    StringBuilder script = new StringBuilder();
    for (ContainerState c : containers.states(host)) {
      if (names.contains(c.node()) && c.hasProcess()) {
        script.append("echo ").append(RemoteShell.quote("raftswarm-container " + c.node())).append("; ")
            .append(inNetworkOf(host, c.pid(), CutScript.remove("iptables -w ", TAG))).append('\n');
      }
    }
    if (script.isEmpty()) {
      return List.of(); // nothing running: no namespace holds a rule
    }
    ExecResult r = run(host, script.toString(), "remove " + TAG + " rules inside the containers on " + host);
    List<String> done = new ArrayList<>();
    String container = "";
    for (String line : r.stdout().lines().map(String::strip).toList()) {
      if (line.startsWith("raftswarm-container ")) {
        container = line.substring("raftswarm-container ".length());
      } else if (line.startsWith("raftswarm-removed ")) {
        done.add(host + ": " + container + ": removed " + line.substring("raftswarm-removed ".length()));
      }
    }
    return done;
  }

  private List<String> healDelay(String host) {
    List<String> others = otherAddresses(host);
    if (others.isEmpty()) {
      return List.of();
    }
    ExecResult r = run(host, NetemScript.remove(sudo(host), others), "remove the drill's delay on " + host);
    synchronized (this) {
      delayedHosts.remove(host);
    }
    return NetemScript.changes(r.stdout());
  }

  /** Hosts currently isolated or delayed and containers currently down, paused or blackholed by this injector's doing. */
  public synchronized Map<String, List<String>> damage() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("isolated", List.copyOf(isolatedHosts));
    m.put("down", List.copyOf(downContainers));
    m.put("paused", List.copyOf(pausedContainers));
    m.put("blackholed", List.copyOf(blackholedContainers));
    m.put("delayed", List.copyOf(delayedHosts));
    return m;
  }

  private synchronized void markDown(NetworkProfile.NodeEntry node) {
    downContainers.add(node.name());
  }

  /**
   * Drives the nodes' containers on {@code host} through the engine's API; the span (issued before
   * the call, returned after it) reads like the docker command an operator would have typed.
   *
   * @param what the failure's prefix, e.g. "kill -9 " (the node names follow)
   */
  private CommandSpan docker(String host, List<String> names, String args, String what,
      BiConsumer<String, List<String>> call) {
    String command = "docker " + args + " " + String.join(" ", names);
    LOG.info("drill on {}: {}", host, command);
    Instant issued = clock.instant();
    try {
      call.accept(host, names);
    } catch (RuntimeException e) {
      throw new RemoteHostException(what + String.join(" ", names) + " failed on " + host + ": " + e.getMessage(), e);
    }
    return new CommandSpan(command, issued, clock.instant());
  }

  private void stopContainers(String host, List<String> names) {
    containers.stop(host, names, STOP_GRACE);
  }

  private String iptables(String host) {
    return (shell.isRoot(host) ? "" : "sudo -n ") + "iptables -w ";
  }

  private ExecResult run(String host, String command, String what) {
    return check(host, exec(host, command), what, command);
  }

  private ExecResult exec(String host, String command) {
    LOG.info("drill on {}: {}", host, shown(command));
    return shell.exec(host, command, COMMAND_TIMEOUT);
  }

  private static ExecResult check(String host, ExecResult r, String what, String command) {
    if (!r.ok()) {
      throw new RemoteHostException(what + " failed on " + host + " (exit " + r.exitStatus() + "): "
          + r.tail(3) + "; command was: " + shown(command));
    }
    return r;
  }

  /** The command for logs and errors, without the NFQUEUE delay's python helper (~130 lines). */
  private static String shown(String command) {
    return NfqueueDelayScript.withoutHelper(command);
  }
}
