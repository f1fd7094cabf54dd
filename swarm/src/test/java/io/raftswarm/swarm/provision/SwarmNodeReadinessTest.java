package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Reachability;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeManagerStatus;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.SwarmNodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwarmNodeReadinessTest {
  private static SwarmNode node(String id, SwarmNodeState state, Reachability reach) {
    SwarmNode n = new SwarmNode().withId(id).withStatus(new SwarmNodeStatus().withState(state));
    return reach == null ? n : n.withManagerStatus(new SwarmNodeManagerStatus().withReachability(reach));
  }

  private static final List<SwarmNodeReadiness.Expected> HOSTS = List.of(
      new SwarmNodeReadiness.Expected("host1", "n1", true),
      new SwarmNodeReadiness.Expected("host2", "n2", true),
      new SwarmNodeReadiness.Expected("host3", "n3", false));

  @Test
  void allReadyAndManagersReachable() {
    assertThat(SwarmNodeReadiness.notReady(HOSTS, List.of(
        node("n1", SwarmNodeState.READY, Reachability.REACHABLE),
        node("n2", SwarmNodeState.READY, Reachability.REACHABLE),
        node("n3", SwarmNodeState.READY, null),
        node("other", SwarmNodeState.DOWN, null)))).isEmpty();
  }

  @Test
  void namesEachHostTheSwarmDoesNotYetCount() {
    assertThat(SwarmNodeReadiness.notReady(HOSTS, List.of(
        node("n1", SwarmNodeState.READY, Reachability.REACHABLE),
        node("n2", SwarmNodeState.READY, Reachability.UNREACHABLE))))
        .containsExactly("host2 (manager UNREACHABLE)", "host3 (not in the node list)");
    assertThat(SwarmNodeReadiness.notReady(HOSTS, List.of(
        node("n1", SwarmNodeState.READY, Reachability.REACHABLE),
        node("n2", SwarmNodeState.DOWN, Reachability.REACHABLE),
        node("n3", SwarmNodeState.UNKNOWN, null))))
        .containsExactly("host2 (DOWN)", "host3 (UNKNOWN)");
  }
}
