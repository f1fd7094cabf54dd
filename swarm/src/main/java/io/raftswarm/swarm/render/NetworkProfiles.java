package io.raftswarm.swarm.render;

import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code network.json} profile of a plan rendered into a directory. */
final class NetworkProfiles {
  private NetworkProfiles() {}

  /** Paths are absolute and point into {@code outDir} (the final location, not staging). */
  static NetworkProfile of(NetworkPlan plan, Path outDir, String runId) {
    Path cryptoDir = outDir.toAbsolutePath().normalize().resolve(NetworkRenderer.CRYPTO_DIR);
    List<OrgSpec> specs = CryptoSpecs.all(plan);
    CryptoTree tree = CryptoTree.open(cryptoDir, specs);
    List<HostAccess> hosts = plan.hosts().stream().map(NetworkPlan.PlannedHost::access).toList();
    List<NetworkProfile.NodeEntry> nodes = new ArrayList<>();
    for (NetworkPlan.PlannedNode n : plan.nodes()) {
      OrgSpec org = tree.org(n.org());
      nodes.add(new NetworkProfile.NodeEntry(n.fqdn(), n.role().label(), n.org(), n.mspId(),
          n.host(), n.internalEndpoint(), n.externalEndpoint(), n.operationsEndpoint(),
          tree.tlsCaCert(org).toString(), n.consenterId(), plan.overlay().byFqdn().get(n.fqdn()),
          n.adminEndpoint()));
    }
    List<NetworkProfile.OrgEntry> orgs = new ArrayList<>();
    for (OrgSpec org : specs) {
      Map<String, String> msps = new LinkedHashMap<>();
      Map<String, String> tls = new LinkedHashMap<>();
      for (String user : org.userNames()) {
        msps.put(user, tree.userMsp(org, user).toString());
        tls.put(user, tree.userTls(org, user).toString());
      }
      orgs.add(new NetworkProfile.OrgEntry(org.name(), org.mspId(), org.domain(),
          org.ordererOrg() ? "orderer" : "peer", tree.caCert(org).toString(),
          tree.tlsCaCert(org).toString(), msps, tls));
    }
    NetworkPlan.PlannedImages im = plan.images();
    NetworkProfile.Images images = new NetworkProfile.Images(im.orderer(), im.peer(),
        im.ordererTar().map(Path::toString).orElse(null), im.peerTar().map(Path::toString).orElse(null));
    return new NetworkProfile(plan.name(), plan.ordererOrg().domain(), cryptoDir.toString(),
        plan.channelNames(), hosts, nodes, orgs, runId, images);
  }
}
