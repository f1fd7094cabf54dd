package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeRole;
import io.raftswarm.swarm.error.UserError;
import java.time.Duration;
import java.util.List;

/**
 * A host's way out of the swarm. A manager that is not the last one first demotes itself, while
 * the others still make a quorum, so the managers' Raft membership shrinks with it: {@code docker
 * swarm leave --force} alone leaves it behind as an unreachable manager, and the managers that
 * stay then need all but that many of themselves to keep a quorum.
 */
public final class SwarmDeparture {
  private static final Duration DEMOTED_WITHIN = Duration.ofSeconds(30);

  private SwarmDeparture() {}

  /**
   * Leaves the swarm; false if the engine was in none. Progress lines start with {@code prefix}
   * ("host3: ", or "" on the host itself).
   */
  public static boolean leave(DockerClient docker, String prefix, Progress p) {
    SwarmInfo info = docker.infoCmd().exec().getSwarm();
    if (info == null || info.getLocalNodeState() == LocalNodeState.INACTIVE) {
      return false;
    }
    boolean manager = Boolean.TRUE.equals(info.getControlAvailable());
    if (manager && info.getManagers() != null && info.getManagers() > 1) {
      demoteSelf(docker, info.getNodeID(), prefix, p);
    }
    docker.leaveSwarmCmd().withForceEnabled(true).exec();
    p.line(prefix + "left the swarm");
    return true;
  }

  private static void demoteSelf(DockerClient docker, String nodeId, String prefix, Progress p) {
    try {
      SwarmNode self = docker.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec().stream()
          .filter(n -> nodeId.equals(n.getId())).findFirst()
          .orElseThrow(() -> new IllegalStateException("node " + nodeId + " is not in its own swarm's node list"));
      docker.updateSwarmNodeCmd().withSwarmNodeId(nodeId).withVersion(self.getVersion().getIndex())
          .withSwarmNodeSpec(self.getSpec().withRole(SwarmNodeRole.WORKER)).exec();
      long deadline = System.nanoTime() + DEMOTED_WITHIN.toNanos();
      while (Boolean.TRUE.equals(docker.infoCmd().exec().getSwarm().getControlAvailable())) {
        if (System.nanoTime() > deadline) {
          p.line(prefix + "still a manager " + DEMOTED_WITHIN.toSeconds() + " s after its demotion; leaving anyway");
          return;
        }
        Thread.sleep(250);
      }
      p.line(prefix + "demoted itself to worker, so the managers that stay keep their quorum");
    } catch (DockerException | IllegalStateException e) {
      // No quorum to demote with (the other managers are gone): leaving as a manager is all that is left.
      p.line(prefix + "could not demote itself (" + e.getMessage().strip() + "); leaving as a manager");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while leaving the swarm", e);
    }
  }
}
