package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.inventory.Inventory;

/**
 * Opens SSH (host key verified) and a Docker client over it to every host, in parallel. Bad
 * addresses, keys and host keys fail here, before anything is changed.
 */
public final class ConnectHostsStep implements ProvisionStep<HostSessions> {
  private final Inventory inventory;

  public ConnectHostsStep(Inventory inventory) {
    this.inventory = inventory;
  }

  @Override
  public String name() {
    return "ConnectHosts";
  }

  @Override
  public StepOutcome<HostSessions> run(Progress progress) {
    HostSessions sessions = HostSessions.open(inventory);
    for (HostSession s : sessions.all()) {
      progress.line(s.name() + ": " + s.ssh().target().label() + ", Docker "
          + s.docker().engineVersion() + " (API " + s.docker().apiVersion() + ")");
    }
    return StepOutcome.unchanged(sessions, sessions.all().size() + " hosts connected");
  }
}
