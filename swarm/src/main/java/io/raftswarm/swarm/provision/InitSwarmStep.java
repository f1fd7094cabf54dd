package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Swarm;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.HostSession;

/**
 * {@code docker swarm init} on the manager through docker-java: advertise address = its
 * inventory address, default address pool outside the hosts' segment. An active swarm on the
 * manager is kept as is ("unchanged").
 */
public final class InitSwarmStep implements ProvisionStep<SwarmJoin> {
  private final NetworkPlan plan;
  private final HostSessions sessions;

  public InitSwarmStep(NetworkPlan plan, HostSessions sessions) {
    this.plan = plan;
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "InitSwarm";
  }

  @Override
  public StepOutcome<SwarmJoin> run(Progress progress) {
    HostSession m = sessions.get(plan.manager().name());
    SwarmInfo info = m.docker().client().infoCmd().exec().getSwarm();
    LocalNodeState state = info == null ? LocalNodeState.INACTIVE : info.getLocalNodeState();
    boolean changed = false;
    String pool = null;
    if (state == LocalNodeState.INACTIVE) {
      pool = plan.overlay().pool();
      m.docker().post("/swarm/init", "{\"ListenAddr\":\"0.0.0.0:2377\",\"AdvertiseAddr\":\""
          + m.host().address() + "\",\"DefaultAddrPool\":[\"" + pool + "\"],\"SubnetSize\":24}");
      changed = true;
    } else if (state != LocalNodeState.ACTIVE) {
      throw new UserError("swarm on " + m.name() + " is in state " + state + " ("
          + (info.getError() == null ? "" : info.getError()) + "); run 'docker swarm leave --force'"
          + " there, or 'raftswarm down', then re-run");
    } else if (!Boolean.TRUE.equals(info.getControlAvailable())) {
      throw new UserError(m.name() + " is a swarm worker, not a manager; run 'docker swarm leave"
          + " --force' there or 'raftswarm down', then re-run");
    }
    Swarm swarm = m.docker().client().inspectSwarmCmd().exec();
    SwarmJoin join = new SwarmJoin(swarm.getId(), m.host().address() + ":2377",
        swarm.getJoinTokens().getManager(), swarm.getJoinTokens().getWorker());
    return StepOutcome.of(join, changed, changed
        ? "initialized on " + m.name() + " (" + join.managerAddress() + ", address pool " + pool + ")"
        : "already active on " + m.name() + " (cluster " + shortId(join.clusterId()) + ")");
  }

  static String shortId(String id) {
    return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
  }
}
