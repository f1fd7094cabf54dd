package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.model.Reachability;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which hosts the swarm's managers do not yet count as ready. A container that attaches to the
 * overlay on such a host waits for an attachment the managers do not hand out, and Docker gives
 * up after its own deadline ("attaching to network failed ... context deadline exceeded"), so
 * compose runs only once every host is READY and every manager REACHABLE.
 */
final class SwarmNodeReadiness {
  private SwarmNodeReadiness() {}

  /** One host as the swarm should see it: its node ID (from its own engine) and its role. */
  record Expected(String host, String nodeId, boolean manager) {}

  /** "host3 (DOWN)", "host2 (manager UNREACHABLE)", "host4 (not in the node list)"; empty when all are ready. */
  static List<String> notReady(List<Expected> expected, List<SwarmNode> nodes) {
    List<String> waiting = new ArrayList<>();
    Map<String, SwarmNode> byId = new HashMap<>();
    nodes.forEach(n -> byId.put(n.getId(), n));
    for (Expected e : expected) {
      SwarmNode node = byId.get(e.nodeId());
      if (node == null) {
        waiting.add(e.host() + " (not in the node list)");
        continue;
      }
      SwarmNodeState state = node.getStatus() == null ? null : node.getStatus().getState();
      if (state != SwarmNodeState.READY) {
        waiting.add(e.host() + " (" + state + ")");
        continue;
      }
      Reachability reach = node.getManagerStatus() == null ? null : node.getManagerStatus().getReachability();
      if (e.manager() && reach != Reachability.REACHABLE) {
        waiting.add(e.host() + " (manager " + reach + ")");
      }
    }
    return waiting;
  }
}
