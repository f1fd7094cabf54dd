package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code docker swarm join} of every other host (with the manager token when the inventory
 * marks it manager, else the worker token). Hosts already in this swarm are left alone; a host
 * in another swarm is an error (preflight catches that first). Then it waits until the
 * initial manager lists every host READY and every manager REACHABLE: a manager that has joined
 * but not caught up cannot yet attach containers to the overlay.
 */
public final class JoinSwarmStep implements ProvisionStep<Void> {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);

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
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
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
    awaitReady(managerName, progress);
    return StepOutcome.of(null, any, (sessions.all().size() - 1) + " hosts in the swarm of "
        + managerName + ", all ready");
  }

  private void awaitReady(String managerName, Progress progress) throws InterruptedException {
    List<SwarmNodeReadiness.Expected> expected = sessions.onEach(s -> new SwarmNodeReadiness.Expected(s.name(),
        s.docker().client().infoCmd().exec().getSwarm().getNodeID(), s.host().manager() || s.name().equals(managerName)));
    var manager = sessions.get(managerName).docker().client();
    long start = System.nanoTime();
    AtomicBoolean reported = new AtomicBoolean();
    Wait.upTo(READY_WITHIN, Duration.ofMillis(500)).untilOrThrow(
        () -> SwarmNodeReadiness.notReady(expected, manager.listSwarmNodesCmd().exec()),
        List::isEmpty,
        waiting -> {
          if (!reported.getAndSet(true)) {
            progress.line("waiting for the swarm to count " + String.join(", ", waiting) + " ready");
          }
        },
        waiting -> new UserError("the swarm does not count every host ready after " + READY_WITHIN.toSeconds() + " s: "
            + String.join(", ", waiting) + " (docker node ls on " + managerName + "); see that host's dockerd log,"
            + " and check that 2377/tcp, 7946/tcp+udp and 4789/udp pass between the hosts"));
    if (reported.get()) {
      progress.line(String.format("all hosts ready in the swarm after %.1f s", (System.nanoTime() - start) / 1e9));
    }
  }
}
