package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.render.NetworkRenderer;
import io.raftswarm.swarm.render.RenderResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Renders crypto material, genesis blocks, compose files and per-host bundles (existing crypto
 * is reused, so a re-run renders the same bundles and reports "unchanged").
 */
public final class RenderNetworkStep implements ProvisionStep<RenderResult> {
  private final NetworkPlan plan;
  private final Path outDir;

  public RenderNetworkStep(NetworkPlan plan, Path outDir) {
    this.plan = plan;
    this.outDir = outDir;
  }

  @Override
  public String name() {
    return "RenderNetwork";
  }

  @Override
  public StepOutcome<RenderResult> run(Progress progress) throws IOException {
    Path hosts = outDir.resolve(NetworkRenderer.HOSTS_DIR);
    String before = treeHash(hosts);
    RenderResult result = NetworkRenderer.render(plan, outDir, false);
    String after = treeHash(hosts);
    return StepOutcome.of(result, !before.equals(after),
        "bundles for " + result.hostBundles().keySet() + " in " + result.outDir());
  }

  /** A digest over every file's path and content; "" when the directory does not exist. */
  static String treeHash(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        md.update(dir.relativize(p).toString().getBytes());
        md.update(Files.readAllBytes(p));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
