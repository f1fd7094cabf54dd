package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Path;

/**
 * Reads and validates the inventory (errors name file:line: field) and plans the network: the
 * later steps see only the plan.
 */
public final class ParseInventoryStep implements ProvisionStep<NetworkPlan> {
  private final Path inventoryFile;

  public ParseInventoryStep(Path inventoryFile) {
    this.inventoryFile = inventoryFile;
  }

  @Override
  public String name() {
    return "ParseInventory";
  }

  @Override
  public StepOutcome<NetworkPlan> run(Progress progress) {
    Inventory inv = InventoryLoader.load(inventoryFile);
    inv.warnings().forEach(w -> progress.line("warning: " + w));
    return StepOutcome.unchanged(NetworkPlan.of(inv), inv.hosts().size() + " hosts, " + inv.orderers().size()
        + " orderers, " + inv.allPeers().size() + " peers, channels " + inv.channelNames());
  }
}
