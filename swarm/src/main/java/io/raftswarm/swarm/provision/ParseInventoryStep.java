package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import java.nio.file.Path;

/** Reads and validates the inventory (errors name file:line: field). */
public final class ParseInventoryStep implements ProvisionStep<Inventory> {
  private final Path inventoryFile;

  public ParseInventoryStep(Path inventoryFile) {
    this.inventoryFile = inventoryFile;
  }

  @Override
  public String name() {
    return "ParseInventory";
  }

  @Override
  public StepOutcome<Inventory> run(Progress progress) {
    Inventory inv = InventoryLoader.load(inventoryFile);
    inv.warnings().forEach(w -> progress.line("warning: " + w));
    return StepOutcome.unchanged(inv, inv.hosts().size() + " hosts, " + inv.orderers().size()
        + " orderers, " + inv.allPeers().size() + " peers, channels " + inv.channels());
  }
}
