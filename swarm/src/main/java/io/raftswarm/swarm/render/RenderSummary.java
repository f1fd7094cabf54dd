package io.raftswarm.swarm.render;

import io.raftswarm.swarm.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.List;

/** The table {@code raftswarm render} prints: hosts, nodes, ports, channels, bundles. */
public final class RenderSummary {
  private RenderSummary() {}

  public static String format(RenderResult result) {
    NetworkPlan plan = result.plan();
    StringBuilder sb = new StringBuilder();
    sb.append("Rendered network ").append(plan.name()).append(" from ")
        .append(plan.source().getFileName()).append(" into ")
        .append(result.outDir()).append("\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"HOST", "ADDRESS", "NODE", "ROLE", "CONSENTER", "PORT", "OPERATIONS",
        "ADMIN", "INTERNAL"});
    for (NetworkPlan.PlannedHost h : plan.hosts()) {
      for (NetworkPlan.PlannedNode n : h.nodes()) {
        rows.add(new String[] {h.name(), h.address(), n.fqdn(), n.role().label(),
            n.isOrderer() ? String.valueOf(n.consenterId()) : "-",
            mapping(n.publishedPort(), n.port()),
            mapping(n.publishedOperationsPort(), n.operationsPort()),
            n.isOrderer() ? String.valueOf(n.publishedAdminPort()) : "-",
            n.isOrderer() ? n.internalEndpoint() + ", raft " + n.clusterPort()
                : n.internalEndpoint()});
      }
      if (h.nodes().isEmpty()) {
        rows.add(new String[] {h.name(), h.address(), "(no nodes)", "", "", "", "", "", ""});
      }
    }
    table(sb, rows);
    int consenters = plan.orderers().size();
    sb.append("\nChannels: ").append(String.join(", ", plan.channelNames()))
        .append(" (").append(consenters).append(" consenters, tolerating ")
        .append((consenters - 1) / 2).append(" failed orderer(s))\n");
    sb.append("Network profile: ").append(result.outDir().resolve(NetworkRenderer.PROFILE_FILE))
        .append("\nBundles (copy each to the host's <workDir>/bundle/):\n");
    for (NetworkPlan.PlannedHost h : plan.hosts()) {
      sb.append("  ").append(h.name()).append(": ").append(result.hostBundles().get(h.name()))
          .append(" -> ").append(h.address()).append(":").append(h.bundleDir()).append("\n");
    }
    return sb.toString();
  }

  private static void table(StringBuilder sb, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", row[i]));
        if (i < row.length - 1) {
          line.append("  ");
        }
      }
      sb.append(line.toString().stripTrailing()).append("\n");
    }
  }

  /** "7050" where the container listens on the port it publishes (orderers), else "7051->7051". */
  private static String mapping(int published, int inside) {
    return published == inside ? String.valueOf(published) : published + "->" + inside;
  }
}
