package io.raftswarm.swarm.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compose and hosts files rendered from inventory/two-hosts.yml are kept in hosts/golden/two-hosts/.
 * A change to the templates or the plan shows up here as a diff to review; when it is intended,
 * regenerate with {@code -Draftswarm.updateGolden=true} and commit the new golden files.
 */
class GoldenComposeFilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path GOLDEN = ROOT.resolve("hosts/golden/two-hosts");
  /** A render makes its own run id; the golden files carry this one. */
  static final String GOLDEN_RUN_ID = "0123456789ab";

  @Test
  void two_hosts_compose_files_match_the_golden_files() throws Exception {
    Inventory inv = InventoryLoader.loadForRender(ROOT.resolve("inventory/two-hosts.yml"));
    NetworkPlan plan = NetworkPlan.of(inv);
    ComposeFiles files = ComposeFiles.load();
    boolean update = Boolean.getBoolean("raftswarm.updateGolden");
    for (String host : List.of("host1", "host2")) {
      check(GOLDEN.resolve(host + ".yaml"), files.compose(plan, host, GOLDEN_RUN_ID), update);
      check(GOLDEN.resolve(host + ".env"), files.env(plan, host), update);
      check(GOLDEN.resolve(host + ".hosts"), HostsFiles.render(plan, plan.host(host)), update);
    }
    check(GOLDEN.resolve("placement"), PlacementFiles.render(plan), update);
  }

  private static void check(Path golden, String rendered, boolean update) throws Exception {
    if (update) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, rendered);
    }
    assertThat(golden).as("golden file %s (create it with -Draftswarm.updateGolden=true)", golden)
        .exists();
    assertThat(rendered)
        .as("rendering changed %s; if intended, regenerate with "
            + "`mvn -pl swarm -am test -Dtest=GoldenComposeFilesTest -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Draftswarm.updateGolden=true`"
            + " and review the diff", ROOT.relativize(golden))
        .isEqualTo(Files.readString(golden));
  }
}
