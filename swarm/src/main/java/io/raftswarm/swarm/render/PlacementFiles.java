package io.raftswarm.swarm.render;

import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.plan.NetworkPlan.PlannedNode;

/**
 * Renders the {@code placement} file of every host's bundle: which inventory host runs each
 * orderer, keyed by its consenter endpoint ({@code fqdn:clusterPort}, as the genesis blocks name
 * consenters). Orderers read it at start ({@code ORDERER_CONSENSUS_PLACEMENTFILE}) and prefer
 * leaders on the host that runs most of a channel's consenters. A file, not a variable: a host
 * added later rewrites it, and compose recreates containers whose variables change.
 */
public final class PlacementFiles {
  public static final String FILE = "placement";
  /** Where the orderer containers see it. */
  public static final String CONTAINER_PATH = "/var/hyperledger/orderer/placement";

  private PlacementFiles() {}

  public static String render(NetworkPlan plan) {
    StringBuilder s = new StringBuilder()
        .append("# Rendered by raftswarm render: the host each orderer runs on, by consenter endpoint.\n")
        .append("# Orderers read it at start (ORDERER_CONSENSUS_PLACEMENTFILE) and keep leaders on the host\n")
        .append("# that runs most of a channel's consenters.\n");
    for (NetworkPlan.PlannedHost host : plan.hosts()) {
      for (PlannedNode n : host.nodes()) {
        if (n.isOrderer()) {
          s.append(n.fqdn()).append(':').append(n.clusterPort()).append(' ').append(host.name()).append('\n');
        }
      }
    }
    return s.toString();
  }
}
