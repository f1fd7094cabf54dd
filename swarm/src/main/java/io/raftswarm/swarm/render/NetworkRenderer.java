package io.raftswarm.swarm.render;

import io.raftswarm.common.files.FileTrees;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.error.UserText;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders an inventory into a directory: crypto material, genesis blocks, one bundle per host
 * and {@code network.json}. Layout (docs/CONTRACTS.md "swarm render API"):
 * <pre>
 * OUT/network.json                       the network profile (client commands read it)
 * OUT/crypto-config/...                  the whole cryptogen tree (operator side, CA keys too)
 * OUT/channel-artifacts/CHANNEL.block    genesis block per channel
 * OUT/hosts/HOST/                        bundle for HOST's &lt;workDir&gt;/bundle/:
 *     docker-compose.yaml, HOST.yaml (same file), .env, network/hosts (names to addresses),
 *     network/placement (the host of each orderer),
 *     crypto-config/ (only the msp/ and tls/ of HOST's nodes: no CA keys leave the operator),
 *     channel-artifacts/
 * </pre>
 *
 * <p>Atomic: everything is written to a staging directory next to OUT ({@link StagingDir}) and
 * then swapped in, so a failure leaves an existing OUT untouched and never a half-written one.
 * OUT is replaced only when it is missing, empty or an earlier render ({@link OutputDirectory},
 * {@link RenderMarker}); what provision and the drills wrote into it is carried over. Existing
 * crypto material is reused unless {@code regenerateCrypto}; an unchanged genesis block is kept
 * byte for byte. Not thread-safe for one OUT: run one render per directory at a time.
 */
public final class NetworkRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkRenderer.class);

  public static final String PROFILE_FILE = "network.json";
  public static final String CRYPTO_DIR = "crypto-config";
  public static final String ARTIFACTS_DIR = "channel-artifacts";
  /** Written by provision into the rendered directory: from then on the network runs from its genesis blocks. */
  public static final String PROVISIONED_MARKER = "provision-report.json";
  public static final String HOSTS_DIR = "hosts";
  public static final String COMPOSE_FILE = "docker-compose.yaml";
  public static final String ENV_FILE = ".env";

  private NetworkRenderer() {}

  /** Writes the plan's artifacts into {@code outDir}; what was written comes back as values. */
  public static RenderResult render(NetworkPlan plan, Path outDir, boolean regenerateCrypto) {
    Path out = realDirectory(outDir.toAbsolutePath().normalize());
    Path parent = out.getParent();
    if (parent == null) {
      throw new UserError("--out " + UserText.escape(outDir) + " cannot be the file system root;"
          + " choose a directory such as ./net");
    }
    String stem = StagingDir.stem(out);
    OutputDirectory.checkParents(out);
    String runId = RunIds.keptOrNew(out.resolve(PROFILE_FILE));
    plan = plan.keepingAddresses(previousAddresses(out.resolve(PROFILE_FILE)));
    try {
      Files.createDirectories(parent);
      StagingDir.removeStale(out);
      recoverInterruptedSwap(out, stem);
      OutputDirectory.checkReplaceable(out);
      try (StagingDir staging = StagingDir.create(out)) {
        try {
          writeAll(plan, staging.path(), out, regenerateCrypto, runId);
          staging.disarm();
        } catch (IOException | RuntimeException e) {
          if (staging.cancelled()) {
            // the interrupted write is a consequence, not the cause: say what happened
            throw new UserError("render stopped by a signal; " + UserText.escape(out)
                + " is unchanged and the partial output was removed", e);
          }
          throw e;
        }
        swapIn(staging.path(), out, stem);
      }
    } catch (IOException e) {
      throw new UserError("cannot write the rendered network to " + UserText.escape(out) + ": "
          + UserText.escape(e) + "; check that the directory is writable and the disk is not"
          + " full", e);
    }
    Map<String, Path> bundles = new LinkedHashMap<>();
    plan.hosts().forEach(h -> bundles.put(h.name(), out.resolve(HOSTS_DIR).resolve(h.name())));
    return new RenderResult(out, plan, NetworkProfiles.of(plan, out, runId), bundles);
  }

  /**
   * Each node's overlay address in an earlier render's network.json: a running container keeps
   * its address when nodes are added or removed (an unreadable profile keeps none).
   */
  private static Map<String, String> previousAddresses(Path profile) {
    if (!Files.isRegularFile(profile)) {
      return Map.of();
    }
    try {
      NetworkProfile previous = NetworkProfile.read(profile);
      Map<String, String> addresses = new LinkedHashMap<>();
      java.util.stream.Stream.concat(previous.orderers().stream(), previous.peers().stream())
          .filter(n -> !n.overlayAddress().isEmpty())
          .forEach(n -> addresses.put(n.name(), n.overlayAddress()));
      return addresses;
    } catch (RuntimeException e) {
      LOG.warn("cannot read the overlay addresses of {}; assigning them afresh: {}", profile, e.getMessage());
      return Map.of();
    }
  }

  /** A channel as the rendered plan wants it (consenters = the planned orderers, in order), read from {@code out}. */
  public static io.raftswarm.common.fabric.ChannelConfig plannedChannel(RenderResult rendered, String channel) {
    NetworkPlan plan = rendered.plan();
    CryptoTree tree = CryptoTree.open(rendered.outDir().resolve(CRYPTO_DIR), CryptoSpecs.all(plan));
    return GenesisBlocks.config(plan, tree, plan.channels().stream().filter(c -> c.name().equals(channel)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("channel " + channel + " is not in the plan")));
  }

  private static void writeAll(NetworkPlan plan, Path staging, Path out, boolean regenerate,
      String runId) throws IOException {
    Path crypto = staging.resolve(CRYPTO_DIR);
    Path previousCrypto = out.resolve(CRYPTO_DIR);
    if (!regenerate && Files.isDirectory(previousCrypto)) {
      copyTree(previousCrypto, crypto);
    }
    CryptoTree tree = CryptoGen.generate(crypto, CryptoSpecs.all(plan), !regenerate);
    if (!tree.changedOrgs().isEmpty()) {
      LOG.info("crypto material generated for {}", tree.changedOrgs());
    }
    Path artifacts = staging.resolve(ARTIFACTS_DIR);
    Path previousArtifacts = out.resolve(ARTIFACTS_DIR);
    GenesisBlocks.write(plan, tree, artifacts,
        Files.isDirectory(previousArtifacts) ? Optional.of(previousArtifacts) : Optional.empty(),
        Files.isRegularFile(out.resolve(PROVISIONED_MARKER)));

    ComposeFiles compose = ComposeFiles.load();
    for (NetworkPlan.PlannedHost host : plan.hosts()) {
      Path bundle = Files.createDirectories(staging.resolve(HOSTS_DIR).resolve(host.name()));
      String composeText = compose.compose(plan, host.name(), runId);
      Files.writeString(bundle.resolve(COMPOSE_FILE), composeText);
      Files.writeString(bundle.resolve(host.name() + ".yaml"), composeText);
      Files.writeString(bundle.resolve(ENV_FILE), compose.env(plan, host.name()));
      Files.writeString(Files.createDirectories(bundle.resolve(HostsFiles.DIR)).resolve(HostsFiles.FILE),
          HostsFiles.render(plan, host));
      Files.writeString(bundle.resolve(HostsFiles.DIR).resolve(PlacementFiles.FILE), PlacementFiles.render(plan));
      for (NetworkPlan.PlannedNode node : host.nodes()) {
        for (String part : new String[] {"msp", "tls"}) {
          copyTree(crypto.resolve(node.cryptoPath()).resolve(part),
              bundle.resolve(CRYPTO_DIR).resolve(node.cryptoPath()).resolve(part));
        }
      }
      copyTree(artifacts, bundle.resolve(ARTIFACTS_DIR));
    }
    NetworkProfiles.of(plan, out, runId).write(staging.resolve(PROFILE_FILE));
    // The RenderMarker that StagingDir wrote first stays: it proves OUT is ours once swapped in.
  }

  /**
   * A symbolic link to a directory stands for that directory: render replaces the directory and
   * leaves the link, which is what someone who made the link (say, to another disk) expects.
   */
  private static Path realDirectory(Path out) {
    if (Files.isSymbolicLink(out) && Files.isDirectory(out)) {
      try {
        return out.toRealPath();
      } catch (IOException e) {
        return out; // checkReplaceable reports it
      }
    }
    return out;
  }

  /**
   * Old OUT aside, staging in, what provision and the drills wrote carried over, old removed; if
   * the second move fails the old OUT goes back.
   */
  private static void swapIn(Path staging, Path out, String stem) throws IOException {
    if (!Files.exists(out)) {
      Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = Files.createTempDirectory(out.getParent(), stem + ".old-");
    Files.delete(old);
    Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    OutputDirectory.carryOver(old, out);
    deleteTree(old);
  }

  /**
   * Cleans up after a render that was killed during the swap: if OUT is missing while an
   * ".old-" copy exists (killed between the two moves), the old OUT is restored; if both exist
   * (killed after the swap), what provision and the drills wrote is carried over and the old
   * copy dropped. Only directories holding the render marker are touched.
   */
  private static void recoverInterruptedSwap(Path out, String stem) throws IOException {
    // a filter, not a glob: OUT's name may hold glob characters
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(out.getParent(),
        p -> p.getFileName().toString().startsWith(stem + ".old-"))) {
      for (Path p : leftovers) {
        if (!Files.isDirectory(p) || RenderMarker.format(p).isEmpty()) {
          continue;
        }
        if (!Files.exists(out)) {
          LOG.warn("restoring {} from {} left by an interrupted render", out, p);
          Files.move(p, out, StandardCopyOption.ATOMIC_MOVE);
        } else {
          OutputDirectory.carryOver(p, out);
          deleteTree(p);
        }
      }
    }
  }

  /** Copies a tree keeping file modes (private keys stay 0600). */
  static void copyTree(Path from, Path to) throws IOException {
    FileTrees.copy(from, to);
  }

  static void deleteTree(Path root) {
    StagingDir.deleteTree(root);
  }
}
