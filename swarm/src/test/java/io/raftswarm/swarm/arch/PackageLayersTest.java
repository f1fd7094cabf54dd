package io.raftswarm.swarm.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path runs one way: inventory → plan → artifacts (render) → hosts (remote, provision) →
 * cluster (client, channel, drill, bench) → cli. A package may import its own subpackages and any
 * package on a lower layer, never one on its own layer or above (docs/ARCHITECTURE.md "Packages
 * of the CLI"). Checked over the import lines of the main sources.
 */
class PackageLayersTest {
  static final Path MAIN = Path.of("src/main/java/io/raftswarm/swarm");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.raftswarm\\.swarm\\.([a-z]+)\\.",
      Pattern.MULTILINE);

  /** Top-level package of swarm → its layer; lower numbers are lower layers. */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("error", 0),
      Map.entry("network", 0),
      Map.entry("inventory", 1),
      Map.entry("plan", 2),
      Map.entry("render", 3),
      Map.entry("remote", 4),
      Map.entry("client", 4),
      Map.entry("provision", 5),
      Map.entry("channel", 6),
      Map.entry("drill", 6),
      Map.entry("bench", 6),
      Map.entry("invite", 6),
      Map.entry("cli", 7));

  @Test
  void no_package_imports_one_on_its_own_layer_or_above() throws IOException {
    List<String> unknown = new ArrayList<>();
    List<String> violations = violations(MAIN, unknown);
    assertThat(unknown).as("packages without a layer: give them one in LAYERS and docs/ARCHITECTURE.md").isEmpty();
    assertThat(violations).as("imports that run sideways or back up").isEmpty();
  }

  @Test
  void the_check_reports_an_arrow_back_up_and_a_sideways_one(@TempDir Path root) throws IOException {
    write(root, "render/A.java", "import io.raftswarm.swarm.plan.NetworkPlan;\nimport io.raftswarm.swarm.cli.X;\n");
    write(root, "drill/fault/B.java", "import io.raftswarm.swarm.drill.clock.C;\nimport io.raftswarm.swarm.bench.D;\n");
    write(root, "cli/E.java", "import io.raftswarm.swarm.drill.F;\n");
    List<String> unknown = new ArrayList<>();
    assertThat(violations(root, unknown)).containsExactlyInAnyOrder(
        "render/A.java imports cli (layer render=3, cli=7)",
        "drill/fault/B.java imports bench (layer drill=6, bench=6)");
    assertThat(unknown).isEmpty();
  }

  private static void write(Path root, String file, String text) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  static List<String> violations(Path root, List<String> unknown) throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        Path relative = root.relativize(file);
        if (relative.getNameCount() < 2) {
          unknown.add(relative + " (a class directly in io.raftswarm.swarm)");
          continue;
        }
        String from = relative.getName(0).toString();
        Integer fromLayer = LAYERS.get(from);
        if (fromLayer == null) {
          unknown.add(from);
          continue;
        }
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String to = m.group(1);
          Integer toLayer = LAYERS.get(to);
          if (!to.equals(from) && (toLayer == null || toLayer >= fromLayer)) {
            violations.add(relative + " imports " + to + " (layer " + from + "=" + fromLayer + ", " + to + "="
                + toLayer + ")");
          }
        }
      }
    }
    return violations;
  }
}
