package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.util.List;

/**
 * {@code docker swarm join} of every other host (with the manager token when the inventory
 * marks it manager, else the worker token). Hosts already in this swarm are left alone; a host
 * in another swarm is an error (preflight catches that first).
 */
public final class JoinSwarmStep implements ProvisionStep<Void> {
  private final NetworkPlan plan;
  private final HostSessions sessions;
  private final SwarmJoin join;

  public JoinSwarmStep(NetworkPlan plan, HostSessions sessions, SwarmJoin join) {
    this.plan = plan;
    this.sessions = sessions;
    this.join = join;
  }

  @Override
  public String name() {
    return "JoinSwarm";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) {
    String managerName = plan.manager().name();
    List<Boolean> joined = sessions.onEach(s -> {
      if (s.name().equals(managerName)) {
        return false;
      }
      SwarmInfo info = s.docker().client().infoCmd().exec().getSwarm();
      if (info != null && info.getLocalNodeState() == LocalNodeState.ACTIVE) {
        progress.line(s.name() + ": already in the swarm");
        return false;
      }
      if (info != null && info.getLocalNodeState() != LocalNodeState.INACTIVE) {
        throw new UserError(s.name() + ": swarm state " + info.getLocalNodeState()
            + "; run 'docker swarm leave --force' there, then re-run");
      }
      String role = s.host().manager() ? "manager" : "worker";
      s.docker().client().joinSwarmCmd()
          .withRemoteAddrs(List.of(join.managerAddress()))
          .withJoinToken(s.host().manager() ? join.managerToken() : join.workerToken())
          .withAdvertiseAddr(s.host().address())
          .withListenAddr("0.0.0.0:2377")
          .exec();
      progress.line(s.name() + ": joined as " + role);
      return true;
    });
    boolean any = joined.contains(true);
    return StepOutcome.of(null, any, (sessions.all().size() - 1) + " hosts in the swarm of "
        + managerName);
  }
}
