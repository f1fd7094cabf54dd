package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.files.FileTrees;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.RemoteShell;
import io.raftswarm.swarm.remote.UploadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Puts the renewed {@code msp/} and {@code tls/} where the node's container mounts them, and into
 * the network dir. On the host: shipped over SSH next to the current ones ({@code .rotate-new/}),
 * then each directory swapped by renames, the current one kept in {@code .rotate-old/} until the
 * node is verified (a running container keeps the directories it mounted; its restart mounts the
 * new ones). In the network dir: the crypto tree and the host's bundle, so that {@code status}
 * reads the new dates and a later {@code provision} ships the new files, not the old ones. Each
 * place already holding the new files is left alone, so a re-run continues where one stopped.
 */
final class InstallCertificatesStep implements ProvisionStep<Void> {
  /** The user the images run as; provision gives it the bundle (ShipBundleStep). */
  static final String CONTAINER_UID = "10001:10001";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final RotationContext ctx;
  private final RotationTarget target;
  private final NodeMaterial renewed;

  InstallCertificatesStep(RotationContext ctx, RotationTarget target, NodeMaterial renewed) {
    this.ctx = ctx;
    this.target = target;
    this.renewed = renewed;
  }

  @Override
  public String name() {
    return "InstallCertificates " + target.label();
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws IOException {
    List<String> changed = new ArrayList<>();
    if (installOnHost(progress)) {
      changed.add(target.node().host());
    }
    if (installLocally(target.local(), true)) {
      changed.add("crypto-config");
    }
    if (Files.isDirectory(target.bundleCopy()) && installLocally(target.bundleCopy(), false)) {
      changed.add("hosts/" + target.node().host());
    }
    return StepOutcome.of(null, !changed.isEmpty(), changed.isEmpty() ? "already in place on "
        + target.node().host() + " and in the network dir" : "installed in " + String.join(", ", changed));
  }

  private boolean installOnHost(Progress progress) {
    String host = target.node().host();
    String dir = RemoteShell.quote(target.remote());
    return ctx.sessions().with(host, s -> {
      ExecResult listed = s.ssh().shell().exec("cd " + dir + " && find msp tls -type f -exec sha256sum {} +", TIMEOUT);
      if (!listed.ok()) {
        throw new UserError(target.remote() + " on " + host + " does not hold the files of " + target.name()
            + " (" + listed.tail(3).strip() + "); was the network provisioned from this network dir?");
      }
      if (digests(listed.stdout()).equals(renewed.digests())) {
        return false;
      }
      UploadResult up = s.ssh().uploader().mirror(renewed.dir(), target.remote() + "/.rotate-new");
      s.ssh().shell().run(swapScript(target.remote()), TIMEOUT);
      progress.line(host + ": " + up.uploaded() + " files shipped to " + target.remote() + ", old ones kept in .rotate-old/");
      return true;
    });
  }

  /**
   * Swaps {@code msp} and {@code tls} for their {@code .rotate-new} copies by renames; a directory
   * already in {@code .rotate-old} is the original (an interrupted run put it there), so it is not
   * overwritten. Safe to run again at any point.
   */
  static String swapScript(String nodeDir) {
    String d = RemoteShell.quote(nodeDir);
    return "set -e; cd " + d + "; mkdir -p .rotate-old; for p in msp tls; do"
        + " if [ -d .rotate-new/$p ]; then"
        + " if [ -d $p ]; then if [ -d .rotate-old/$p ]; then rm -rf $p; else mv $p .rotate-old/$p; fi; fi;"
        + " mv .rotate-new/$p $p; fi; done; rm -rf .rotate-new; chown -R " + CONTAINER_UID + " " + d;
  }

  /** {@code sha256sum} lines ("HASH  msp/...") as path → hash. */
  static Map<String, String> digests(String sha256sumOutput) {
    Map<String, String> out = new TreeMap<>();
    sha256sumOutput.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> {
      int space = l.indexOf(' ');
      out.put(l.substring(space).strip().replaceFirst("^\\*", "").replaceFirst("^\\./", ""), l.substring(0, space));
    });
    return out;
  }

  /** Replaces {@code msp/} and {@code tls/} of {@code nodeDir} with the renewed ones; the first time keeps a backup. */
  private boolean installLocally(Path nodeDir, boolean backup) throws IOException {
    if (new NodeMaterial(nodeDir).sameFilesAs(renewed)) {
      return false;
    }
    if (backup && !Files.isDirectory(target.backup())) {
      Path staging = target.work().resolve(".old-" + UUID.randomUUID());
      for (String part : NodeMaterial.PARTS) {
        FileTrees.copy(nodeDir.resolve(part), staging.resolve(part));
      }
      Files.move(staging, target.backup(), StandardCopyOption.ATOMIC_MOVE);
    }
    for (String part : NodeMaterial.PARTS) {
      Path staging = nodeDir.resolve("." + part + "-" + UUID.randomUUID());
      Path aside = nodeDir.resolve("." + part + "-old-" + UUID.randomUUID());
      FileTrees.copy(renewed.dir().resolve(part), staging);
      Files.move(nodeDir.resolve(part), aside, StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, nodeDir.resolve(part), StandardCopyOption.ATOMIC_MOVE);
      FileTrees.deleteRecursively(aside);
    }
    return true;
  }
}
