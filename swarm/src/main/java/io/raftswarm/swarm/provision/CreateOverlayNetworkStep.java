package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.command.CreateNetworkCmd;
import com.github.dockerjava.api.model.Network;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.HostSession;
import java.util.List;

/**
 * Creates the attachable overlay network every container joins (the seeds' first-network),
 * labelled io.raftswarm.*; an existing attachable overlay of that name is kept.
 */
public final class CreateOverlayNetworkStep implements ProvisionStep<String> {
  private final NetworkPlan plan;
  private final HostSessions sessions;

  public CreateOverlayNetworkStep(NetworkPlan plan, HostSessions sessions) {
    this.plan = plan;
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "CreateOverlayNetwork";
  }

  @Override
  public StepOutcome<String> run(Progress progress) {
    HostSession m = sessions.get(plan.manager().name());
    String name = plan.name();
    List<Network> existing = m.docker().client().listNetworksCmd().withNameFilter(name).exec()
        .stream().filter(n -> n.getName().equals(name)).toList();
    if (!existing.isEmpty()) {
      Network n = existing.get(0);
      if (!"overlay".equals(n.getDriver()) || !n.isAttachable()) {
        throw new UserError("network " + name + " on " + m.name() + " exists but is a "
            + n.getDriver() + (n.isAttachable() ? "" : ", non-attachable") + " network; remove it"
            + " (docker network rm " + name + ") or rename network.name in " + plan.source());
      }
      String subnet = plan.overlay().subnet();
      String ipRange = plan.overlay().ipRange();
      boolean sameSubnet = n.getIpam() != null && n.getIpam().getConfig() != null
          && n.getIpam().getConfig().stream().anyMatch(c -> subnet.equals(c.getSubnet()) && ipRange.equals(c.getIpRange()));
      if (!sameSubnet) {
        throw new UserError("network " + name + " on " + m.name() + " exists without subnet " + subnet + " and IP range "
            + ipRange + ": the rendered compose files give each container a fixed address below that range, and"
            + " Docker must allocate its own endpoints only inside it; remove the network"
            + " (raftswarm down, or docker network rm " + name + ") and provision again");
      }
      return StepOutcome.unchanged(n.getId(), name + " exists (" + n.getId().substring(0, 12) + ")");
    }
    CreateNetworkCmd cmd = m.docker().client().createNetworkCmd()
        .withName(name)
        .withDriver("overlay")
        .withAttachable(true)
        .withLabels(Labels.forNetwork(name));
    cmd.withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
        .withSubnet(plan.overlay().subnet())
        .withIpRange(plan.overlay().ipRange())));
    String id = cmd.exec().getId();
    return StepOutcome.done(id, "created attachable overlay " + name + " (" + id.substring(0, 12) + ", subnet "
        + plan.overlay().subnet() + ", Docker's range " + plan.overlay().ipRange() + ")");
  }
}
