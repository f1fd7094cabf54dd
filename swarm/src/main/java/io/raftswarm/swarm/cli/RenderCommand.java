package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.render.NetworkRenderer;
import io.raftswarm.swarm.render.RenderResult;
import io.raftswarm.swarm.render.RenderSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm render}: inventory in, crypto + genesis blocks + per-host bundles out. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Render crypto, genesis blocks and per-host compose bundles from an inventory.",
        "",
        "Nothing touches a host: this is the dry run of `provision` anyone can",
        "inspect. Crypto material follows cryptogen's layout, the genesis blocks",
        "configtxgen's (etcdraft), and network.json tells the client commands",
        "where every node is.",
        "",
        "DIR is written atomically: on any error an existing DIR is left as it was.",
        "An existing DIR is replaced only if it is empty or an earlier render (it",
        "carries the marker file .raftswarm-render); drills/ and",
        "provision-report.json in it are kept. Any other directory is refused.",
        "Crypto material already in DIR is reused (running nodes keep their",
        "identities) unless --regenerate-crypto is given.",
        "",
        "Layout of DIR:",
        "  network.json                  nodes, endpoints, TLS CAs, user MSPs",
        "  crypto-config/                all crypto material (keep it private)",
        "  channel-artifacts/<ch>.block  genesis block per channel",
        "  hosts/<host>/                 what provision copies to <workDir>/bundle/:",
        "    docker-compose.yaml (= <host>.yaml), .env, channel-artifacts/,",
        "    crypto-config/ (msp/ and tls/ of that host's nodes only)",
        "  .raftswarm-render             marks DIR as render output",
        ""
    },
    footer = {
        "",
        "Example:",
        "  raftswarm render --inventory inventory/two-hosts.yml --out /tmp/net",
        "  docker-compose -f /tmp/net/hosts/host1/docker-compose.yaml config -q",
        "",
        "The inventory format is described in inventory/README.md."
    })
public final class RenderCommand implements Callable<Integer> {

  @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE",
      description = "The inventory (hosts.yml) describing hosts, orderers, peers and channels.")
  Path inventory;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
      description = "Directory to render into (created; replaced only if it holds an earlier"
          + " render).")
  Path out;

  @Option(names = "--regenerate-crypto",
      description = "Generate all crypto material afresh instead of reusing what DIR holds."
          + " Running nodes will no longer match: re-provision them all.")
  boolean regenerateCrypto;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Inventory inv = InventoryLoader.loadForRender(inventory);
    for (String warning : inv.warnings()) {
      spec.commandLine().getErr().println("warning: " + warning);
    }
    RenderResult result = NetworkRenderer.render(NetworkPlan.of(inv), out, regenerateCrypto);
    spec.commandLine().getOut().print(RenderSummary.format(result));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
