package io.raftswarm.common.fabric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Real Fabric blocks from {@code shared/testdata/fabric}, which sits next to the checkout (CI
 * always has it). They are not ours to commit, so tests read them in place and fail, not skip,
 * when the directory is missing.
 */
final class FabricTestData {
  private static final Path RELATIVE = Paths.get("shared", "testdata", "fabric");

  private FabricTestData() {}

  static Path file(String name) {
    Path start = Paths.get("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE).resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("Fabric test vector " + RELATIVE.resolve(name) + " not found in " + start
        + " or any parent; put the shared/ directory (with testdata/fabric from hyperledger/fabric) next to the checkout");
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Block block(String name) {
    try {
      return Block.parseFrom(bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + name + " as a common.Block", e);
    }
  }
}
