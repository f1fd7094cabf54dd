package io.raftswarm.swarm.render;

import io.raftswarm.swarm.plan.NetworkPlan;
import java.util.Map;

/**
 * Renders the {@code hosts} file of one host's bundle: each node's name and the address the
 * containers on that host reach it at ({@link NetworkPlan#addressesSeenFrom}). Every container on
 * the host has it as {@code /etc/hosts} (compose file; Docker then leaves /etc/hosts alone), and
 * the images resolve {@code files dns}: a name the file lacks — a node added on a host that this
 * host's render did not know yet, e.g. on an invited host whose operator has not re-joined — still
 * resolves through Docker's DNS, over the overlay.
 */
public final class HostsFiles {
  /** The bundle directory holding the file. */
  public static final String DIR = "network";
  public static final String FILE = "hosts";

  private HostsFiles() {}

  public static String render(NetworkPlan plan, NetworkPlan.PlannedHost host) {
    StringBuilder s = new StringBuilder()
        .append("# Rendered by raftswarm render for ").append(host.name()).append(" (").append(host.address())
        .append("): every container's /etc/hosts.\n")
        .append("# Orderers on other hosts: that host's address (their published ports); the rest: the overlay.\n")
        .append("127.0.0.1 localhost\n")
        .append("::1 localhost ip6-localhost ip6-loopback\n");
    for (Map.Entry<String, String> e : plan.addressesSeenFrom(host).entrySet()) {
      s.append(e.getValue()).append(' ').append(e.getKey()).append('\n');
    }
    return s.toString();
  }
}
