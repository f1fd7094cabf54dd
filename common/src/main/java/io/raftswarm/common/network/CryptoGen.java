package io.raftswarm.common.network;

import io.raftswarm.common.files.FileTrees;
import io.raftswarm.common.network.OrgMaterial.FileContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's {@code cryptogen generate} in Java: per org a CA and a TLS CA, the org MSP, every
 * node's MSP and TLS pair, and the users {@code Admin} and {@code User1..N}, in cryptogen's
 * layout with NodeOUs enabled and private keys mode 0600.
 *
 * <p>Each org directory is written to a staging directory next to it and then moved into
 * place, so a failure never leaves a half-written org. With {@code reuseExisting}, existing
 * material that still fits the spec is kept byte for byte and an org with nothing to change is
 * not touched at all (idempotent); without it every org is generated afresh.
 */
public final class CryptoGen {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoGen.class);
  private static final String STAGING = ".staging-";
  private static final String OLD = ".old-";

  private CryptoGen() {}

  public static CryptoTree generate(Path cryptoConfigDir, List<OrgSpec> orgs, boolean reuseExisting) {
    checkUnique(orgs);
    List<String> changed = new ArrayList<>();
    CryptoTree tree = CryptoTree.open(cryptoConfigDir, orgs);
    for (OrgSpec org : orgs) {
      Path target = tree.orgDir(org);
      try {
        Files.createDirectories(target.getParent());
        recoverInterruptedSwap(target);
        Optional<Path> reuse = reuseExisting && Files.isDirectory(target) ? Optional.of(target) : Optional.empty();
        Map<String, FileContent> files = OrgMaterial.compute(org, reuse);
        if (reuse.isPresent() && sameAsOnDisk(target, files)) {
          LOG.debug("crypto material of {} ({}) unchanged", org.name(), target);
          continue;
        }
        replace(target, files);
        changed.add(org.name());
        LOG.info("generated crypto material of {} in {}", org.name(), target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write crypto material of org " + org.name() + " to " + target
            + ": " + e.getMessage() + "; check that the directory is writable", e);
      }
    }
    return new CryptoTree(cryptoConfigDir, orgs, changed);
  }

  private static void checkUnique(List<OrgSpec> orgs) {
    Set<String> names = new HashSet<>();
    Set<String> domains = new HashSet<>();
    Set<String> mspIds = new HashSet<>();
    for (OrgSpec org : orgs) {
      if (!names.add(org.name()) || !domains.add(org.domain()) || !mspIds.add(org.mspId())) {
        throw new IllegalArgumentException("org " + org.name() + " (" + org.domain() + ", " + org.mspId()
            + ") repeats the name, domain or MSP id of another org");
      }
    }
  }

  /** Writes the files into a staging directory, then swaps it with the target. */
  private static void replace(Path target, Map<String, FileContent> files) throws IOException {
    Path parent = target.getParent();
    String base = target.getFileName().toString();
    Path staging = parent.resolve("." + base + STAGING + UUID.randomUUID());
    try {
      for (var entry : files.entrySet()) {
        Path file = staging.resolve(entry.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, entry.getValue().bytes());
        setMode(file, entry.getValue().secret() ? "rw-------" : "rw-r--r--");
      }
      if (Files.isDirectory(target)) {
        Path old = parent.resolve("." + base + OLD + UUID.randomUUID());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteRecursively(old);
      } else {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  /**
   * If a previous run died between moving the old org away and moving the new one in, put the
   * old one back; drop abandoned staging directories.
   */
  private static void recoverInterruptedSwap(Path target) throws IOException {
    String base = target.getFileName().toString();
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path sibling : siblings.toList()) {
        String name = sibling.getFileName().toString();
        if (name.startsWith("." + base + STAGING)) {
          FileTrees.deleteRecursively(sibling);
        } else if (name.startsWith("." + base + OLD)) {
          if (Files.exists(target)) {
            FileTrees.deleteRecursively(sibling);
          } else {
            Files.move(sibling, target, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
    }
  }

  private static boolean sameAsOnDisk(Path target, Map<String, FileContent> files) throws IOException {
    Map<String, Path> onDisk = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        onDisk.put(target.relativize(p).toString().replace('\\', '/'), p);
      }
    }
    if (!onDisk.keySet().equals(files.keySet())) {
      return false;
    }
    for (var entry : files.entrySet()) {
      Path file = onDisk.get(entry.getKey());
      if (!Arrays.equals(Files.readAllBytes(file), entry.getValue().bytes())) {
        return false;
      }
      if (entry.getValue().secret() && posix() && !Files.getPosixFilePermissions(file).equals(PosixFilePermissions.fromString("rw-------"))) {
        return false;
      }
    }
    return true;
  }

  private static void setMode(Path file, String mode) throws IOException {
    if (posix()) {
      Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
      Files.setPosixFilePermissions(file, permissions);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }


}
