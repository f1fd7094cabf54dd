package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.RemoteHostException;
import io.raftswarm.swarm.remote.RemoteShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks the network on its hosts the way an operator would, over SSH: {@code docker kill
 * --signal KILL}, {@code docker stop}/{@code start}, and iptables DROP rules inside a host that
 * cut it off from the other hosts (both directions; the Swarm overlay rides on the host
 * addresses, so it is cut too; the operator's own SSH path comes from another address and
 * survives). Every rule carries the iptables comment {@value #TAG}, so {@link #healHost} removes
 * exactly those rules and nothing else.
 *
 * <p>Remembers what it broke; {@link #heal()} undoes it (idempotent, safe to call from a
 * shutdown hook concurrently with the drill thread). {@link #healEverything()} also cleans up
 * after a drill that died without healing: all tagged rules on every host, and every network
 * container that is not running is started.
 */
public final class FaultInjector {
  /** The iptables comment on every rule a drill inserts. */
  public static final String TAG = "raftswarm-drill";
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final HostShell shell;
  private final NetworkProfile profile;
  private final Map<String, String> dockerSockets;
  private final Set<String> isolatedHosts = new LinkedHashSet<>();
  private final Set<String> downContainers = new LinkedHashSet<>();

  /** @param dockerSockets host name → path of its Docker engine socket (inventory dockerSocket) */
  public FaultInjector(HostShell shell, NetworkProfile profile, Map<String, String> dockerSockets) {
    this.shell = Objects.requireNonNull(shell, "shell");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.dockerSockets = Map.copyOf(dockerSockets);
  }

  /** kill -9 the node's container (no graceful shutdown: the process gets SIGKILL). */
  public void kill(NetworkProfile.NodeEntry node) {
    markDown(node);
    docker(node.host(), "kill --signal KILL " + RemoteShell.quote(node.name()), "kill -9 " + node.name());
  }

  /** Stops the node's container gracefully (SIGTERM, then SIGKILL after 10 s). */
  public void stop(NetworkProfile.NodeEntry node) {
    markDown(node);
    docker(node.host(), "stop -t 10 " + RemoteShell.quote(node.name()), "stop " + node.name());
  }

  /** Starts the node's container (a no-op when it is running). */
  public void start(NetworkProfile.NodeEntry node) {
    docker(node.host(), "start " + RemoteShell.quote(node.name()), "start " + node.name());
    synchronized (this) {
      downContainers.remove(node.name());
    }
  }

  /** Stops the nodes' containers, one {@code docker stop} per host, hosts in parallel. */
  public void stopAll(List<NetworkProfile.NodeEntry> nodes) {
    nodes.forEach(this::markDown);
    perHost(nodes, (host, names) -> docker(host, "stop -t 10 " + names, "stop " + names));
  }

  /** Starts the nodes' containers, one {@code docker start} per host, hosts in parallel. */
  public void startAll(List<NetworkProfile.NodeEntry> nodes) {
    perHost(nodes, (host, names) -> docker(host, "start " + names, "start " + names));
    synchronized (this) {
      nodes.forEach(n -> downContainers.remove(n.name()));
    }
  }

  private void perHost(List<NetworkProfile.NodeEntry> nodes,
      java.util.function.BiConsumer<String, String> action) {
    Map<String, List<String>> byHost = new LinkedHashMap<>();
    nodes.forEach(n -> byHost.computeIfAbsent(n.host(), h -> new ArrayList<>())
        .add(RemoteShell.quote(n.name())));
    List<java.util.concurrent.CompletableFuture<Void>> runs = byHost.entrySet().stream()
        .map(e -> java.util.concurrent.CompletableFuture.runAsync(
            () -> action.accept(e.getKey(), String.join(" ", e.getValue()))))
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
   * inside {@code host}.
   */
  public void isolate(String host) {
    List<String> others = profile.hosts().stream()
        .filter(h -> !h.name().equals(host))
        .map(NetworkProfile.HostEntry::address)
        .toList();
    if (others.isEmpty()) {
      throw new IllegalArgumentException("cannot isolate " + host + ": it is the network's only host");
    }
    synchronized (this) {
      isolatedHosts.add(host);
    }
    StringBuilder cmd = new StringBuilder("set -e");
    for (String addr : others) {
      cmd.append("; ").append(iptables(host)).append("-I INPUT -s ").append(RemoteShell.quote(addr))
          .append(" -m comment --comment ").append(TAG).append(" -j DROP");
      cmd.append("; ").append(iptables(host)).append("-I OUTPUT -d ").append(RemoteShell.quote(addr))
          .append(" -m comment --comment ").append(TAG).append(" -j DROP");
    }
    run(host, cmd.toString(), "isolate " + host + " from " + others);
  }

  /**
   * Removes every rule tagged {@value #TAG} from INPUT and OUTPUT on {@code host}.
   *
   * @return the rules removed, as {@code iptables -S} printed them
   */
  public List<String> healHost(String host) {
    String ipt = iptables(host);
    String cmd = "for c in INPUT OUTPUT; do " + ipt + "-S \"$c\" | grep -- '--comment " + TAG
        + "' | sed 's/^-A //' | while read -r rule; do " + ipt + "-D $rule && echo \"-A $rule\"; done; done";
    ExecResult r = run(host, cmd, "remove " + TAG + " iptables rules on " + host);
    synchronized (this) {
      isolatedHosts.remove(host);
    }
    return Arrays.stream(r.stdout().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** Undoes what this injector broke: its isolations and the containers it killed or stopped. */
  public synchronized List<String> heal() {
    List<String> done = new ArrayList<>();
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
    for (NetworkProfile.HostEntry host : profile.hosts()) {
      try {
        healHost(host.name()).forEach(r -> done.add(host.name() + ": removed " + r));
      } catch (RuntimeException e) {
        done.add(host.name() + ": could not remove the drill's iptables rules: " + e.getMessage());
      }
      List<String> names = profile.nodes().stream()
          .filter(n -> n.host().equals(host.name())).map(NetworkProfile.NodeEntry::name).toList();
      if (names.isEmpty()) {
        continue;
      }
      try {
        ExecResult ps = run(host.name(), docker(host.name()) + "ps --filter status=running --format '{{.Names}}'",
            "list running containers on " + host.name());
        Set<String> running = new LinkedHashSet<>(Arrays.asList(ps.stdout().split("\n")));
        for (String name : names) {
          if (!running.contains(name)) {
            run(host.name(), docker(host.name()) + "start " + RemoteShell.quote(name), "start " + name);
            done.add(host.name() + ": started " + name);
          }
        }
      } catch (RuntimeException e) {
        done.add(host.name() + ": could not start stopped containers: " + e.getMessage());
      }
    }
    downContainers.clear();
    isolatedHosts.clear();
    return done;
  }

  /** Hosts currently isolated and containers currently down by this injector's doing. */
  public synchronized Map<String, List<String>> damage() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("isolated", List.copyOf(isolatedHosts));
    m.put("down", List.copyOf(downContainers));
    return m;
  }

  private synchronized void markDown(NetworkProfile.NodeEntry node) {
    downContainers.add(node.name());
  }

  private void docker(String host, String args, String what) {
    run(host, docker(host) + args, what);
  }

  private String docker(String host) {
    String socket = dockerSockets.getOrDefault(host, "/var/run/docker.sock");
    return "docker -H " + RemoteShell.quote("unix://" + socket) + " ";
  }

  private String iptables(String host) {
    return (shell.isRoot(host) ? "" : "sudo -n ") + "iptables -w ";
  }

  private ExecResult run(String host, String command, String what) {
    LOG.info("drill on {}: {}", host, command);
    ExecResult r = shell.exec(host, command, COMMAND_TIMEOUT);
    if (!r.ok()) {
      throw new RemoteHostException(what + " failed on " + host + " (exit " + r.exitStatus() + "): "
          + r.tail(3) + "; command was: " + command);
    }
    return r;
  }
}
