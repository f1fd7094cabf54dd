package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.network.Labels;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.HostSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Checks every host before anything is changed (Testcontainers-style ✔/✘ lines): Docker engine
 * version, docker-compose, published ports free (or held by this network's own containers),
 * no membership in a foreign swarm, image tars present, and the swarm ports between every pair
 * of hosts. Reports every problem at once, each naming host, port and fix.
 */
public final class PreflightHostsStep implements ProvisionStep<Void> {
  static final int MIN_API_MINOR = 39; // Docker 19.03: swarm default-addr-pool, attachable overlays
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final NetworkPlan plan;
  private final HostSessions sessions;

  public PreflightHostsStep(NetworkPlan plan, HostSessions sessions) {
    this.plan = plan;
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "PreflightHosts";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws Exception {
    List<String> problems = new ArrayList<>();
    checkImageTars(progress, problems);
    List<List<String>> perHost = sessions.onEach(s -> checkHost(s, progress));
    perHost.forEach(problems::addAll);
    List<String> membership = checkSwarmMembership(progress);
    problems.addAll(membership);
    if (membership.isEmpty() && allInOneSwarm()) {
      progress.line("✔ swarm ports: all hosts already in one swarm (probes skipped)");
    } else {
      problems.addAll(checkSwarmPorts(progress));
    }
    if (!problems.isEmpty()) {
      throw new UserError("preflight found " + problems.size() + " problem(s), nothing was changed:\n  - "
          + String.join("\n  - ", problems));
    }
    return StepOutcome.unchanged(null, "all checks passed on " + sessions.all().size() + " hosts");
  }

  private void checkImageTars(Progress progress, List<String> problems) {
    NetworkPlan.PlannedImages images = plan.images();
    for (Optional<Path> tar : List.of(images.ordererTar(), images.peerTar())) {
      tar.ifPresent(t -> {
        if (Files.isReadable(t)) {
          progress.line("✔ image tar " + t);
        } else {
          progress.line("✘ image tar " + t + " missing");
          problems.add("image tar " + t + " (inventory images) does not exist; run scripts/build-images");
        }
      });
    }
  }

  private List<String> checkHost(HostSession s, Progress progress) {
    List<String> problems = new ArrayList<>();
    String h = s.name();
    String api = s.docker().apiVersion();
    if (apiMinor(api) < MIN_API_MINOR) {
      problems.add(h + ": Docker " + s.docker().engineVersion() + " (API " + api
          + ") is too old; install Docker 19.03 or newer");
    } else {
      progress.line("✔ " + h + ": Docker " + s.docker().engineVersion() + " (API " + api + ")");
    }
    ExecResult compose = s.ssh().shell().exec("docker-compose version --short", TIMEOUT);
    if (compose.ok()) {
      progress.line("✔ " + h + ": docker-compose " + compose.stdout().trim());
    } else {
      problems.add(h + ": docker-compose not found (" + compose.tail(1).trim()
          + "); install it (Debian: apt-get install docker-compose)");
    }
    problems.addAll(checkPorts(s, progress));
    checkTcpRtoMax(s, progress).ifPresent(problems::add);
    problems.addAll(checkNameConflicts(s));
    problems.addAll(checkImagesPresent(s, progress));
    return problems;
  }

  /** Docker refuses to start a container whose sysctl the kernel does not have. */
  private Optional<String> checkTcpRtoMax(HostSession s, Progress progress) {
    if (plan.tcpRtoMax().isEmpty()) {
      return Optional.empty();
    }
    ExecResult probe = s.ssh().shell().exec(
        "uname -r; test -e /proc/sys/net/ipv4/tcp_rto_max_ms", TIMEOUT);
    String kernel = probe.stdout().trim();
    if (probe.ok()) {
      progress.line("✔ " + s.name() + ": kernel " + kernel + " has net.ipv4.tcp_rto_max_ms");
      return Optional.empty();
    }
    progress.line("✘ " + s.name() + ": kernel " + kernel + " has no net.ipv4.tcp_rto_max_ms");
    return Optional.of(s.name() + ": its Linux kernel " + kernel + " has no net.ipv4.tcp_rto_max_ms"
        + " (added in Linux 6.15), which network.tcpRtoMax in " + plan.source()
        + " sets in every container; remove network.tcpRtoMax or run the host on Linux 6.15 or newer");
  }

  private List<String> checkPorts(HostSession s, Progress progress) {
    Set<Integer> wanted = new TreeSet<>();
    plan.host(s.name()).nodes().forEach(n -> wanted.addAll(n.publishedPorts()));
    Set<Integer> listening = ListeningPorts.parse(
        s.ssh().shell().run(ListeningPorts.COMMAND, TIMEOUT));
    Set<Integer> ours = new TreeSet<>();
    for (Container c : s.docker().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.NETWORK, plan.name())).exec()) {
      for (ContainerPort p : c.getPorts()) {
        if (p.getPublicPort() != null) {
          ours.add(p.getPublicPort());
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (int port : wanted) {
      if (listening.contains(port) && !ours.contains(port)) {
        problems.add(s.name() + ": port " + port + "/tcp on " + s.host().address()
            + " is already in use by another program; free it (ss -ltnp 'sport = :" + port
            + "') or change the published port in " + plan.source());
      }
    }
    if (problems.isEmpty()) {
      progress.line("✔ " + s.name() + ": published ports " + wanted + " free"
          + (ours.isEmpty() ? "" : " (or held by this network's containers)"));
    }
    return problems;
  }

  /** A container with a node's name that is not ours would make compose fail half-way. */
  private List<String> checkNameConflicts(HostSession s) {
    Set<String> names = new TreeSet<>();
    plan.host(s.name()).nodes().forEach(n -> names.add(n.fqdn()));
    List<String> problems = new ArrayList<>();
    for (Container c : s.docker().client().listContainersCmd().withShowAll(true).exec()) {
      String net = c.getLabels() == null ? null : c.getLabels().get(Labels.NETWORK);
      for (String n : c.getNames()) {
        String name = n.replaceFirst("^/", "");
        if (names.contains(name) && !plan.name().equals(net)) {
          problems.add(s.name() + ": a container named " + name + " (" + c.getStatus()
              + ") exists and is not part of network " + plan.name()
              + "; remove it (docker rm -f " + name + ") or rename the node");
        }
      }
    }
    return problems;
  }

  private List<String> checkImagesPresent(HostSession s, Progress progress) {
    List<String> problems = new ArrayList<>();
    NetworkPlan.PlannedImages images = plan.images();
    check(s, images.orderer(), images.ordererTar(), "ordererTar", problems);
    check(s, images.peer(), images.peerTar(), "peerTar", problems);
    return problems;
  }

  private void check(HostSession s, String image, Optional<Path> tar, String field,
      List<String> problems) {
    if (tar.isPresent()) {
      return; // shipped and loaded by LoadImages
    }
    try {
      s.docker().client().inspectImageCmd(image).exec();
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      problems.add(s.name() + ": image " + image + " is not there and images." + field
          + " is not set; set it to the tar from scripts/build-images, or docker load it there");
    }
  }

  private List<String> checkSwarmMembership(Progress progress) {
    List<String> problems = new ArrayList<>();
    HostSession manager = sessions.get(plan.manager().name());
    SwarmInfo m = manager.docker().client().infoCmd().exec().getSwarm();
    boolean managerActive = m != null && m.getLocalNodeState() == LocalNodeState.ACTIVE;
    if (managerActive && !Boolean.TRUE.equals(m.getControlAvailable())) {
      problems.add(manager.name() + " is a swarm worker, but the inventory makes it the manager;"
          + " run 'docker swarm leave --force' there or 'raftswarm down'");
    }
    for (HostSession s : sessions.all()) {
      if (s == manager) {
        continue;
      }
      SwarmInfo info = s.docker().client().infoCmd().exec().getSwarm();
      if (info == null || info.getLocalNodeState() != LocalNodeState.ACTIVE) {
        continue;
      }
      // Same swarm = it knows the manager's node among its managers (works for workers too).
      String managerNode = managerActive ? m.getNodeID() : null;
      boolean sameSwarm = managerNode != null && info.getRemoteManagers() != null
          && info.getRemoteManagers().stream().anyMatch(p -> managerNode.equals(p.getNodeID()));
      if (!sameSwarm) {
        problems.add(s.name() + " already belongs to another swarm; run 'docker swarm leave"
            + " --force' on it (or 'raftswarm down') first");
      }
    }
    if (problems.isEmpty()) {
      progress.line("✔ swarm: " + (managerActive ? "already initialized on " + manager.name()
          : "not initialized yet"));
    }
    return problems;
  }

  private boolean allInOneSwarm() {
    return sessions.all().stream().allMatch(s -> {
      SwarmInfo i = s.docker().client().infoCmd().exec().getSwarm();
      return i != null && i.getLocalNodeState() == LocalNodeState.ACTIVE;
    });
  }

  private List<String> checkSwarmPorts(Progress progress) throws InterruptedException {
    List<HostSession> all = sessions.all();
    if (all.size() < 2) {
      return List.of();
    }
    List<CompletableFuture<SwarmPortProbe.Result>> probes = new ArrayList<>();
    for (HostSession a : all) {
      for (HostSession b : all) {
        if (a == b) {
          continue;
        }
        if (b.host().manager()) {
          probes.add(async(() -> SwarmPortProbe.tcp(a, b, 2377)));
        }
        probes.add(async(() -> SwarmPortProbe.tcp(a, b, 7946)));
      }
    }
    // A UDP probe binds the port on the receiving host, so probes into the same host and port
    // run one after the other; different (host, port) pairs run in parallel.
    List<CompletableFuture<List<SwarmPortProbe.Result>>> udpProbes = new ArrayList<>();
    for (int port : List.of(4789, 7946)) {
      for (HostSession b : all) {
        udpProbes.add(CompletableFuture.supplyAsync(() -> {
          List<SwarmPortProbe.Result> rs = new ArrayList<>();
          for (HostSession a : all) {
            if (a != b) {
              rs.add(async(() -> SwarmPortProbe.udp(a, b, port)).join());
            }
          }
          return rs;
        }, ProvisionThreads.POOL));
      }
    }
    // The orderers talk across hosts through their published Broadcast/Deliver and Raft ports.
    List<CompletableFuture<List<SwarmPortProbe.Result>>> ordererProbes = new ArrayList<>();
    for (HostSession b : all) {
      List<Integer> ports = plan.host(b.name()).nodes().stream().filter(NetworkPlan.PlannedNode::isOrderer)
          .flatMap(n -> java.util.stream.Stream.of(n.publishedPort(), n.clusterPort())).toList();
      for (HostSession a : all) {
        if (a != b && !ports.isEmpty()) {
          ordererProbes.add(CompletableFuture.supplyAsync(() -> SwarmPortProbe.tcpEach(a, b, ports), ProvisionThreads.POOL));
        }
      }
    }
    List<SwarmPortProbe.Result> udp = new ArrayList<>();
    udpProbes.forEach(f -> udp.addAll(f.join()));
    List<String> problems = new ArrayList<>();
    List<SwarmPortProbe.Result> results = new ArrayList<>(probes.stream().map(CompletableFuture::join).toList());
    results.addAll(udp);
    for (SwarmPortProbe.Result r : results) {
      report(r, progress, problems, "swarm port", "Swarm needs 2377/tcp to managers, 7946/tcp+udp and 4789/udp between all hosts");
    }
    for (CompletableFuture<List<SwarmPortProbe.Result>> f : ordererProbes) {
      for (SwarmPortProbe.Result r : f.join()) {
        report(r, progress, problems, "orderer port", "orderers on different hosts talk through their published port and"
            + " clusterPort, inventory/README.md");
      }
    }
    return problems;
  }

  private static void report(SwarmPortProbe.Result r, Progress progress, List<String> problems, String what, String why) {
    switch (r.verdict()) {
      case OPEN -> progress.line("✔ " + r.describe());
      case SKIPPED -> progress.line("? " + r.describe());
      case BLOCKED -> {
        progress.line("✘ " + r.describe());
        problems.add(what + " " + r.port() + "/" + r.proto() + " from " + r.from() + " to "
            + r.to() + " is blocked (" + r.detail() + "); open it in the firewall of " + r.to() + " (" + why + ")");
      }
    }
  }

  private interface Probe {
    SwarmPortProbe.Result run() throws Exception;
  }

  private static CompletableFuture<SwarmPortProbe.Result> async(Probe p) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return p.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, ProvisionThreads.POOL);
  }

  static int apiMinor(String apiVersion) {
    try {
      return Integer.parseInt(apiVersion.substring(apiVersion.indexOf('.') + 1));
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
