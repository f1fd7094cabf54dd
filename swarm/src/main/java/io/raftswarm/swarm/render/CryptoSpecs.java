package io.raftswarm.swarm.render;

import io.raftswarm.common.network.NodeSpec;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The cryptogen input for a plan: the orderer org and every peer org, each node with its host's
 * address as an extra TLS name, so the operator machine can reach it at address:published port
 * with hostname verification on.
 */
final class CryptoSpecs {
  private CryptoSpecs() {}

  static OrgSpec ordererOrg(NetworkPlan plan) {
    NetworkPlan.PlannedOrg oo = plan.ordererOrg();
    return new OrgSpec(oo.name(), oo.domain(), oo.mspId(), true,
        plan.orderers().stream().map(CryptoSpecs::node).toList(), 0);
  }

  static List<OrgSpec> peerOrgs(NetworkPlan plan) {
    List<OrgSpec> specs = new ArrayList<>();
    for (NetworkPlan.PlannedOrg org : plan.peerOrgs()) {
      specs.add(new OrgSpec(org.name(), org.domain(), org.mspId(), false,
          plan.peers().stream().filter(n -> n.org().equals(org.name()))
              .map(CryptoSpecs::node).toList(),
          org.users()));
    }
    return specs;
  }

  static List<OrgSpec> all(NetworkPlan plan) {
    List<OrgSpec> all = new ArrayList<>();
    all.add(ordererOrg(plan));
    all.addAll(peerOrgs(plan));
    return all;
  }

  private static NodeSpec node(NetworkPlan.PlannedNode n) {
    return new NodeSpec(n.name(), List.of(n.hostAddress()));
  }
}
