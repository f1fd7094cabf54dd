package io.raftswarm.swarm.invite;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.ImageTars;
import io.raftswarm.swarm.provision.JoinPeersStep;
import io.raftswarm.swarm.provision.NetworkStatus;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import io.raftswarm.swarm.provision.StepsRunner;
import io.raftswarm.swarm.remote.ContainerLogs;
import io.raftswarm.swarm.render.NetworkRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code raftswarm join LINE}, run on the invited host itself: fetches the bundle over HTTPS with
 * the certificate pinned, checks its SHA-256, unpacks it (staging directory, then moves), loads
 * the images into the local engine, joins the swarm, brings up the host's compose file on the
 * local engine, waits until its orderers are healthy and caught up and joins its peers to the
 * channels, then prints the network's status. Every step is idempotent: re-running the same line
 * resumes (while the inviting side still serves; a fetched bundle is kept and not fetched again).
 */
public final class Joiner {
  static final String CONTAINER_UID = "10001";
  static final String KIT_DIR = "join";
  private static final String DIGEST_FILE = ".bundle-sha256";
  private static final int STEPS = 9;

  /**
   * @param docker the local engine, {@code unix:///var/run/docker.sock}
   * @param workDir where the bundle goes; null: the one the inventory planned for this host
   * @param timeout how long to wait for health, catch-up and the overlay network each
   */
  public record Options(InviteLine line, String docker, Path workDir, Duration timeout) {}

  private final Options options;
  private final PrintWriter out;
  private final OperationsClient ops = new OperationsClient();

  public Joiner(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** @return true when every local node is healthy, caught up and joined */
  public boolean run() {
    InviteLine line = options.line();
    Progress progress = new Progress(out);
    StepsRunner steps = new StepsRunner(progress, STEPS, "run the same raftswarm join line again",
        "cd WORKDIR/bundle && DOCKER_HOST=" + options.docker() + " docker-compose down; docker swarm leave --force");
    Path download = steps.run(ProvisionStep.of("FetchBundle", p -> fetch(line, p)));
    Unpacked kit = steps.run(ProvisionStep.of("UnpackBundle", p -> unpack(download, line.sha256(), p)));
    JoinManifest manifest = kit.manifest();
    try (LocalDocker docker = steps.run(ProvisionStep.of("ConnectEngine", p -> {
      LocalDocker d = LocalDocker.open(options.docker());
      p.line("Docker " + d.engineVersion() + " at " + d.socket());
      return StepOutcome.unchanged(d, "local engine reachable");
    }))) {
      steps.run(ProvisionStep.of("LoadImages", p -> loadImages(docker, kit, p)));
      steps.run(ProvisionStep.of("JoinSwarm", p -> joinSwarm(docker, manifest, p)));
      steps.run(ProvisionStep.of("ComposeUp", p -> composeUp(docker, kit, p)));
      steps.run(ProvisionStep.of("WaitHealthy", p -> waitHealthy(docker, manifest, p)));
    }
    steps.run(ProvisionStep.of("WaitCaughtUp", p -> waitCaughtUp(manifest, p)));
    NetworkProfile full = manifest.profile(kit.kitDir());
    List<NetworkProfile.NodeEntry> localPeers = full.peers().stream()
        .filter(n -> n.host().equals(manifest.host().name())).toList();
    if (localPeers.isEmpty()) {
      steps.run(ProvisionStep.of("JoinPeers", p -> StepOutcome.unchanged(null, "no peers on " + manifest.host().name())));
    } else {
      List<NetworkProfile.NodeEntry> nodes = new ArrayList<>(full.orderers());
      nodes.addAll(localPeers);
      NetworkProfile local = new NetworkProfile(full.name(), full.domain(), full.cryptoDir(), full.channels(),
          full.hosts(), nodes, full.orgs(), full.runId());
      try (FabricClient client = FabricClient.connect(local, "Admin@" + localPeers.get(0).org())) {
        steps.run(new JoinPeersStep(local, kit.bundleDir(), client, ops));
      }
    }
    out.println();
    NetworkStatus status = NetworkStatus.query(full, ops);
    status.printTable(out);
    out.println();
    out.println(manifest.host().name() + " joined network " + manifest.network() + ": " + manifest.localNodes().size()
        + " nodes up (" + manifest.localNodes().stream().map(NetworkProfile.NodeEntry::name).toList() + ")");
    // The whole network as this host sees it, for `raftswarm status` here.
    Path profileFile = kit.kitDir().resolve(NetworkRenderer.PROFILE_FILE);
    full.write(profileFile);
    out.println("from this host: raftswarm status --network " + kit.kitDir()
        + "    to take this host out: raftswarm leave --work-dir " + kit.workDir() + " --docker " + options.docker());
    out.flush();
    try {
      Files.deleteIfExists(download);
    } catch (IOException e) {
      out.println("(could not remove the fetched tar " + download + ": " + e.getMessage() + ")");
    }
    return true;
  }

  // ---- steps ------------------------------------------------------------------------------

  private StepOutcome<Path> fetch(InviteLine line, Progress p) throws IOException, InterruptedException {
    Path dir = options.workDir() != null ? options.workDir() : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(dir);
    Path target = dir.resolve(".join-" + line.sha256().substring(0, 16) + ".tar");
    if (Files.isRegularFile(target) && BundleDigest.of(target).equals(line.sha256())) {
      return StepOutcome.unchanged(target, "fetched by an earlier run, SHA-256 verified");
    }
    Files.deleteIfExists(target);
    HttpClient http = HttpClient.newBuilder()
        .sslContext(new PinnedCertificate(line.tlsSha256()).sslContext())
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(HttpRequest.newBuilder(line.bundle()).timeout(Duration.ofMinutes(10)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      String why = e instanceof java.net.http.HttpConnectTimeoutException ? "connect timed out"
          : e instanceof java.net.ConnectException ? "connection refused" : rootMessage(e);
      throw new UserError("cannot fetch " + line.bundle() + " (" + why + "); "
          + (why.contains("SHA-256") || why.contains("certificate") ? why
          : "check that raftswarm invite still runs on the inviting machine (it serves until the first complete"
              + " fetch or its --timeout) and that this host reaches " + line.bundle().getHost() + ":"
              + line.bundle().getPort() + "/tcp"), e);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new UserError("the inviting machine answered HTTP " + response.statusCode() + " for " + line.bundle()
          + (response.statusCode() == 404 ? " (wrong path: was the line cut or is it from an earlier invite?)" : "")
          + "; run raftswarm invite " + line.host() + " there again and use its new line");
    }
    long expected = response.headers().firstValueAsLong("content-length").orElse(-1);
    long n;
    try (InputStream in = response.body()) {
      n = BundleDigest.copyVerified(in, target, line.sha256(), bytes -> p.line("fetched " + bytes / (1 << 20)
          + (expected > 0 ? " of " + expected / (1 << 20) : "") + " MiB"));
    }
    return StepOutcome.done(target, n / (1 << 20) + " MiB, SHA-256 verified");
  }

  private record Unpacked(Path workDir, Path kitDir, Path bundleDir, JoinManifest manifest) {}

  private StepOutcome<Unpacked> unpack(Path tar, String sha256, Progress p) throws IOException, InterruptedException {
    JoinManifest manifest = readManifest(tar);
    Path planned = Path.of(manifest.host().workDir());
    Path workDir = options.workDir() == null ? planned : options.workDir().toAbsolutePath().normalize();
    if (!workDir.equals(planned)) {
      throw new UserError("--work-dir " + workDir + " is not " + planned + ", the workDir the inventory gives "
          + manifest.host().name() + " (its compose file mounts " + planned + "/bundle and " + planned + "/data);"
          + " leave --work-dir out, or ask for workDir: " + workDir + " in the inventory and a new invite");
    }
    Path bundleDir = workDir.resolve(JoinManifest.BUNDLE_DIR);
    Path kitDir = workDir.resolve(KIT_DIR);
    Path digestFile = kitDir.resolve(DIGEST_FILE);
    if (Files.isDirectory(bundleDir) && Files.isRegularFile(digestFile)
        && Files.readString(digestFile).strip().equals(sha256)) {
      return StepOutcome.unchanged(new Unpacked(workDir, kitDir, bundleDir, manifest), "bundle already in " + bundleDir);
    }
    Files.createDirectories(workDir);
    Path staging = workDir.resolve(".join-staging-" + ProcessHandle.current().pid());
    deleteTree(staging);
    Files.createDirectory(staging);
    int files = 0;
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextTarEntry()) != null) {
        Path dest = staging.resolve(e.getName()).normalize();
        if (!dest.startsWith(staging) || e.getName().startsWith("/") || e.isSymbolicLink() || e.isLink()) {
          throw new UserError("the bundle holds an unsafe entry '" + e.getName() + "'; nothing was installed");
        }
        if (e.isDirectory()) {
          Files.createDirectories(dest);
          continue;
        }
        Files.createDirectories(dest.getParent());
        Files.copy(in, dest);
        Files.setPosixFilePermissions(dest, java.nio.file.attribute.PosixFilePermissions.fromString(perms(e.getMode())));
        files++;
      }
      Files.writeString(staging.resolve(DIGEST_FILE), sha256 + "\n");
    } catch (IOException | RuntimeException ex) {
      deleteTree(staging);
      throw ex;
    }
    // Staging is complete: move it into place (bundle/ where the compose file expects it, the rest to join/).
    Path newKit = workDir.resolve(".join-kit-" + ProcessHandle.current().pid());
    deleteTree(newKit);
    Files.move(staging, newKit);
    replace(newKit.resolve(JoinManifest.BUNDLE_DIR), bundleDir);
    replace(newKit, kitDir);
    // The containers run as uid 10001: their data and read-only crypto must be theirs.
    List<String> chown = new ArrayList<>(List.of("chown", "-R", CONTAINER_UID + ":" + CONTAINER_UID,
        bundleDir.resolve("crypto-config").toString(), bundleDir.resolve(NetworkRenderer.ARTIFACTS_DIR).toString()));
    for (NetworkProfile.NodeEntry n : manifest.localNodes()) {
      Path data = workDir.resolve("data").resolve(n.name());
      Files.createDirectories(data);
      chown.add(data.toString());
    }
    run(chown, workDir, Map.of(), Duration.ofSeconds(60));
    p.line(files + " files into " + workDir + " (bundle/, join/), data dirs for " + manifest.localNodes().size() + " nodes");
    return StepOutcome.done(new Unpacked(workDir, kitDir, bundleDir, manifest), "unpacked into " + workDir);
  }

  private StepOutcome<Void> loadImages(LocalDocker docker, Unpacked kit, Progress p) throws IOException {
    int loaded = 0;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(kit.manifest().images()).entrySet()) {
      Path tar = kit.kitDir().resolve(e.getValue());
      String want = ImageTars.imageId(tar);
      String have = imageId(docker, e.getKey());
      if (want.equals(have)) {
        p.line(e.getKey() + " already loaded");
        continue;
      }
      long t0 = System.nanoTime();
      try (InputStream in = Files.newInputStream(tar)) {
        docker.client().loadImageCmd(in).exec();
      }
      String now = imageId(docker, e.getKey());
      if (!want.equals(now)) {
        throw new UserError("docker load of " + tar + " did not produce " + e.getKey() + " " + want + " (found '" + now
            + "'); check free space under the engine's root (docker info) and re-run");
      }
      p.line("loaded " + e.getKey() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      loaded++;
    }
    return StepOutcome.of(null, loaded > 0, loaded == 0 ? "images present" : loaded + " images loaded");
  }

  private static String imageId(LocalDocker docker, String image) {
    try {
      return docker.client().inspectImageCmd(image).exec().getId();
    } catch (NotFoundException e) {
      return "";
    }
  }

  private StepOutcome<Void> joinSwarm(LocalDocker docker, JoinManifest m, Progress p) {
    SwarmInfo info = docker.client().infoCmd().exec().getSwarm();
    LocalNodeState state = info == null ? LocalNodeState.INACTIVE : info.getLocalNodeState();
    String manager = options.line().manager();
    if (state == LocalNodeState.ACTIVE) {
      List<String> managers = info.getRemoteManagers() == null ? List.of()
          : info.getRemoteManagers().stream().map(peer -> peer.getAddr()).toList();
      if (!managers.contains(manager)) {
        throw new UserError("this engine is already in another swarm (its managers: " + managers + ", not " + manager
            + "); if that swarm is not needed here: docker swarm leave --force, then the join line again");
      }
      return StepOutcome.unchanged(null, "already in the swarm of " + manager);
    }
    if (state != LocalNodeState.INACTIVE) {
      throw new UserError("this engine's swarm state is " + state + "; run 'docker swarm leave --force', then the join"
          + " line again");
    }
    try {
      docker.client().joinSwarmCmd()
          .withRemoteAddrs(List.of(manager))
          .withJoinToken(options.line().token())
          .withAdvertiseAddr(m.host().address())
          .withListenAddr("0.0.0.0:2377")
          .exec();
    } catch (RuntimeException e) {
      throw new UserError("docker swarm join " + manager + " failed (" + rootMessage(e) + "); check that this host"
          + " reaches " + manager + "/tcp and 7946/tcp+udp, 4789/udp both ways, that " + m.host().address()
          + " is this host's address, and that the token is current (a new raftswarm invite prints one)", e);
    }
    p.line("joined the swarm of " + manager + " as " + (m.host().manager() ? "manager" : "worker")
        + ", advertising " + m.host().address());
    return StepOutcome.done(null, "joined " + manager);
  }

  private StepOutcome<Void> composeUp(LocalDocker docker, Unpacked kit, Progress p) throws Exception {
    String net = kit.manifest().network();
    long deadline = System.nanoTime() + options.timeout().toNanos();
    // A node that just joined learns the attachable overlay network from the managers a moment later.
    while (docker.client().listNetworksCmd().withNameFilter(net).exec().stream().noneMatch(n -> net.equals(n.getName()))) {
      if (System.nanoTime() > deadline) {
        throw new UserError("the overlay network " + net + " is not visible on this engine after "
            + options.timeout().toSeconds() + " s; check 'docker node ls' on the manager and the swarm ports");
      }
      p.line("waiting for the overlay network " + net + " to reach this engine");
      TimeUnit.SECONDS.sleep(2);
    }
    ExecOut r = run(List.of("docker-compose", "-f", NetworkRenderer.COMPOSE_FILE, "up", "-d", "--remove-orphans"),
        kit.bundleDir(), Map.of("DOCKER_HOST", options.docker()), Duration.ofMinutes(5));
    long acted = r.output().lines().filter(l -> l.matches("(?i)^\\s*(creating|recreating|starting)\\b.*")).count();
    p.line(acted == 0 ? "all containers up-to-date" : acted + " containers created or started");
    return StepOutcome.of(null, acted > 0, acted == 0 ? "all containers up-to-date" : "containers started");
  }

  private StepOutcome<Void> waitHealthy(LocalDocker docker, JoinManifest m, Progress p) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + options.timeout().toNanos();
    long lastReport = started;
    while (true) {
      List<String> waiting = m.localNodes().stream().filter(n -> !ops.healthy(n.operationsEndpoint()))
          .map(NetworkProfile.NodeEntry::name).toList();
      if (waiting.isEmpty()) {
        return StepOutcome.of(null, System.nanoTime() - started > 1_500_000_000L, m.localNodes().size() + " nodes healthy");
      }
      List<Container> dead = docker.client().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(Labels.NETWORK, m.network())).withStatusFilter(List.of("exited", "dead")).exec();
      if (!dead.isEmpty()) {
        Container c = dead.get(0);
        String name = c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
        throw new UserError("container " + name + " exited (" + c.getStatus() + "); last log lines:\n"
            + ContainerLogs.tail(docker.client(), c.getId(), 20) + "\n  fix the cause, then run the join line again");
      }
      if (System.nanoTime() > deadline) {
        throw new UserError("not healthy after " + options.timeout().toSeconds() + " s: " + waiting.stream()
            .map(n -> n + " (http://" + m.localNodes().stream().filter(x -> x.name().equals(n)).findFirst().orElseThrow()
                .operationsEndpoint() + "/healthz)").toList() + "; check 'docker logs NAME'");
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        p.line("waiting for " + waiting.size() + " of " + m.localNodes().size() + " nodes: " + waiting);
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  /**
   * Caught up: on every channel each local orderer follows a leader and its height is at least
   * the leader's (read from the leader's /status when this host reaches it, else from the highest
   * local view).
   */
  private StepOutcome<Void> waitCaughtUp(JoinManifest m, Progress p) throws InterruptedException {
    List<NetworkProfile.NodeEntry> local = m.localNodes().stream().filter(NetworkProfile.NodeEntry::isOrderer).toList();
    if (local.isEmpty()) {
      return StepOutcome.unchanged(null, "no orderers on " + m.host().name());
    }
    long started = System.nanoTime();
    long deadline = started + options.timeout().toNanos();
    long lastReport = started;
    while (true) {
      List<String> behind = new ArrayList<>();
      Map<String, String> summary = new LinkedHashMap<>();
      for (String ch : m.channels()) {
        for (NetworkProfile.NodeEntry o : local) {
          Optional<OrdererChannelStatus> st = ops.ordererStatus(o.operationsEndpoint()).flatMap(s -> s.channel(ch));
          if (st.isEmpty() || st.get().leaderId() <= 0) {
            behind.add(o.name() + "/" + ch + ": no leader yet");
            continue;
          }
          long leaderId = st.get().leaderId();
          Optional<NetworkProfile.NodeEntry> leader = m.nodes().stream().filter(n -> n.consenterId() == leaderId).findFirst();
          long leaderHeight = leader.flatMap(l -> ops.ordererStatus(l.operationsEndpoint()))
              .flatMap(s -> s.channel(ch)).map(OrdererChannelStatus::height).orElse(st.get().height());
          if (st.get().height() < leaderHeight) {
            behind.add(o.name() + "/" + ch + ": height " + st.get().height() + " of " + leaderHeight);
          } else {
            summary.put(ch, "leader " + leader.map(NetworkProfile.NodeEntry::name).orElse("consenter " + leaderId)
                + ", height " + st.get().height());
          }
        }
      }
      if (behind.isEmpty()) {
        summary.forEach((ch, s) -> p.line(ch + ": " + s));
        return StepOutcome.of(null, System.nanoTime() - started > 1_500_000_000L,
            local.size() + " orderers caught up on " + m.channels().size() + " channels");
      }
      if (System.nanoTime() > deadline) {
        throw new UserError("orderers not caught up after " + options.timeout().toSeconds() + " s: " + behind
            + "; check the orderers' logs for cluster (7051, over the overlay network) errors and that the"
            + " reachable hosts' orderers run (raftswarm status on the inviting side)");
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        p.line("waiting: " + behind);
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  static JoinManifest readManifest(Path tar) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextTarEntry()) != null) {
        if (JoinManifest.FILE.equals(e.getName())) {
          Path tmp = Files.createTempFile("join", ".json");
          try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return JoinManifest.read(tmp);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }
      }
    }
    throw new UserError("the bundle has no " + JoinManifest.FILE + "; it was not made by raftswarm invite");
  }

  private static String perms(int mode) {
    String s = "rwxrwxrwx";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      b.append((mode & (1 << (8 - i))) != 0 ? s.charAt(i) : '-');
    }
    return b.toString();
  }

  /** Puts {@code fresh} at {@code target}, removing what was there only once fresh is in place. */
  private static void replace(Path fresh, Path target) throws IOException {
    Path old = target.resolveSibling("." + target.getFileName() + "-replaced-" + ProcessHandle.current().pid());
    deleteTree(old);
    if (Files.exists(target)) {
      Files.move(target, old);
    }
    Files.move(fresh, target);
    deleteTree(old);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  record ExecOut(int exit, String output) {}

  /** Runs a local command (docker-compose) in {@code dir}; a non-zero exit is a UserError with its last lines. */
  static ExecOut run(List<String> cmd, Path dir, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process proc;
    try {
      proc = pb.start();
    } catch (IOException e) {
      throw new UserError("cannot run " + cmd.get(0) + " (" + e.getMessage() + "); install it (Debian: apt-get install "
          + cmd.get(0) + ")", e);
    }
    proc.getOutputStream().close();
    byte[] output = proc.getInputStream().readAllBytes();
    if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      proc.destroyForcibly();
      throw new UserError(String.join(" ", cmd) + " did not finish in " + timeout.toSeconds() + " s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (proc.exitValue() != 0) {
      List<String> lines = text.lines().toList();
      throw new UserError(String.join(" ", cmd) + " failed in " + dir + " (exit " + proc.exitValue() + "):\n    "
          + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
    }
    return new ExecOut(proc.exitValue(), text);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
