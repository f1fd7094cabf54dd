package io.raftswarm.swarm.render;

import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.plan.NetworkPlan.PlannedHost;
import io.raftswarm.swarm.plan.NetworkPlan.PlannedNode;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one host's {@code docker-compose.yaml} and {@code .env} from the templates. Pure: the
 * output depends only on the plan and the run id (no crypto, no clock), which is what makes golden
 * files work.
 */
public final class ComposeFiles {
  public static final String COMPOSE_TEMPLATE = "compose.yaml.ftl";
  public static final String ENV_TEMPLATE = "env.ftl";

  private final Templates templates;

  private ComposeFiles(Templates templates) {
    this.templates = templates;
  }

  public static ComposeFiles load() {
    return new ComposeFiles(Templates.load());
  }

  /** @param runId the render's run id, labelled on every container ({@link Labels#RUN}) */
  public String compose(NetworkPlan plan, String hostName, String runId) {
    return templates.render(COMPOSE_TEMPLATE, model(plan, plan.host(hostName), runId));
  }

  public String env(NetworkPlan plan, String hostName) {
    return templates.render(ENV_TEMPLATE, model(plan, plan.host(hostName), ""));
  }

  /** Compose project names allow lower-case letters, digits, '-' and '_'. */
  static String projectName(NetworkPlan plan, PlannedHost host) {
    return (plan.name() + "-" + host.name()).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_-]", "-");
  }

  private static Map<String, Object> model(NetworkPlan plan, PlannedHost host, String runId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inventory", plan.source().getFileName().toString());
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("name", plan.name());
    network.put("subnet", plan.overlay().subnet());
    // Only when the inventory asks: an unknown sysctl stops the container from starting.
    plan.tcpRtoMax().ifPresent(d -> network.put("tcpRtoMaxMs", d.toMillis()));
    m.put("network", network);
    m.put("images", Map.of("orderer", plan.images().orderer(), "peer", plan.images().peer()));
    m.put("ordererMemory", Map.of("limitMiB", plan.ordererMemory().containerLimitMiB(),
        "xmxMiB", plan.ordererMemory().xmxMiB(), "largestBlockMiB", plan.ordererMemory().largestBlock() / OrdererMemory.MIB));
    m.put("projectName", projectName(plan, host));
    m.put("host", Map.of("name", host.name(), "address", host.address(),
        "workDir", host.workDir(), "bundleDir", host.bundleDir()));
    m.put("hostsFile", Map.of("path", host.bundleDir() + "/" + HostsFiles.DIR + "/" + HostsFiles.FILE));
    m.put("placementFile", Map.of("path", host.bundleDir() + "/" + HostsFiles.DIR + "/" + PlacementFiles.FILE,
        "containerPath", PlacementFiles.CONTAINER_PATH));
    m.put("orderers", nodes(plan, host, runId, host.nodes().stream().filter(PlannedNode::isOrderer).toList()));
    m.put("peers", nodes(plan, host, runId, host.nodes().stream().filter(n -> !n.isOrderer()).toList()));
    return m;
  }

  private static List<Map<String, Object>> nodes(NetworkPlan plan, PlannedHost host, String runId,
      List<PlannedNode> nodes) {
    return nodes.stream().map(n -> {
      Map<String, Object> m = new LinkedHashMap<>();
      String nodeDir = host.bundleDir() + "/crypto-config/" + n.cryptoPath();
      m.put("fqdn", n.fqdn());
      m.put("address", plan.overlay().byFqdn().get(n.fqdn()));
      m.put("mspId", n.mspId());
      m.put("image", n.image());
      m.put("port", n.port());
      m.put("clusterPort", n.clusterPort());
      m.put("operationsPort", n.operationsPort());
      m.put("publishedPort", n.publishedPort());
      m.put("publishedOperationsPort", n.publishedOperationsPort());
      m.put("adminPort", n.publishedAdminPort());
      m.put("publishedAdminPort", n.publishedAdminPort());
      m.put("consenterId", n.consenterId());
      m.put("mspDir", nodeDir + "/msp");
      m.put("tlsDir", nodeDir + "/tls");
      m.put("channelsDir", host.bundleDir() + "/channel-artifacts");
      m.put("dataDir", n.dataDir());
      m.put("labels", Labels.forNode(plan.name(), runId, n.fqdn(), n.role().label(), n.consenterId()));
      return m;
    }).toList();
  }
}
