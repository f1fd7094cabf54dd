package io.raftswarm.swarm.render;

import io.raftswarm.swarm.plan.NetworkPlan;
import java.util.Map;

/**
 * Renders the {@code hosts} file of one host's bundle: each node's name and the address the
 * containers on that host reach it at ({@link NetworkPlan#addressesSeenFrom}). The orderers' and
 * peers' JVMs resolve names from it alone ({@code -Djdk.net.hosts.file}, compose file), not
 * from Docker's DNS on the overlay; the file sits in a mounted directory, so a new render shipped
 * by provision (a host added) reaches running containers without recreating them.
 */
public final class HostsFiles {
  /** The bundle directory holding the file, mounted read-only into every container. */
  public static final String DIR = "network";
  public static final String FILE = "hosts";
  /** Where the containers see {@link #DIR}. */
  public static final String MOUNT = "/var/hyperledger/network";

  private HostsFiles() {}

  public static String render(NetworkPlan plan, NetworkPlan.PlannedHost host) {
    StringBuilder s = new StringBuilder()
        .append("# Rendered by raftswarm render for ").append(host.name()).append(" (").append(host.address())
        .append("): where the JVMs in its containers find each node.\n")
        .append("# Orderers on other hosts: that host's address (their published ports); the rest: the overlay.\n")
        .append("127.0.0.1 localhost\n");
    for (Map.Entry<String, String> e : plan.addressesSeenFrom(host).entrySet()) {
      s.append(e.getValue()).append(' ').append(e.getKey()).append('\n');
    }
    return s.toString();
  }
}
