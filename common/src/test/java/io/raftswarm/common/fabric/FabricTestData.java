package io.raftswarm.common.fabric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Real Fabric blocks from {@code shared/testdata/fabric}. They are not ours to commit, so tests
 * read them in place and fail, never skip, when they are missing. Where {@code shared/} is:
 * <ol>
 *   <li>the system property {@code raftswarm.shared} or the environment variable
 *       {@code RAFTSWARM_SHARED} (when set, it is the only place looked at);
 *   <li>else {@code shared/} in the working directory or any parent (the checkout's sibling on CI);
 *   <li>else {@code /work/shared} (a copy of the checkout elsewhere on the build machine).
 * </ol>
 */
public final class FabricTestData {
  static final String PROPERTY = "raftswarm.shared";
  static final String ENV = "RAFTSWARM_SHARED";
  private static final Path RELATIVE = Paths.get("testdata", "fabric");
  private static final Path FALLBACK = Paths.get("/work/shared");

  private FabricTestData() {}

  public static Path file(String name) {
    String configured = System.getProperty(PROPERTY, System.getenv(ENV));
    if (configured != null && !configured.isBlank()) {
      Path candidate = Paths.get(configured).resolve(RELATIVE).resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      throw new IllegalStateException("Fabric test vector " + candidate + " not found; " + PROPERTY + "/" + ENV + " = "
          + configured + " must point at the shared/ directory holding testdata/fabric (from hyperledger/fabric)");
    }
    List<Path> looked = new ArrayList<>();
    Path start = Paths.get("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      looked.add(dir.resolve("shared"));
    }
    looked.add(FALLBACK);
    for (Path shared : looked) {
      Path candidate = shared.resolve(RELATIVE).resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("Fabric test vector " + RELATIVE.resolve(name) + " not found under any of " + looked
        + "; put the shared/ directory (with testdata/fabric from hyperledger/fabric) next to the checkout or set "
        + ENV + " (or -D" + PROPERTY + ") to its path");
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
