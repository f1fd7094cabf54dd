package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.plan.NetworkPlan;
import java.time.Duration;

/**
 * Opens SSH (host key verified) and a Docker client over it to every host, in parallel. Bad
 * addresses, keys and host keys fail here, before anything is changed.
 */
public final class ConnectHostsStep implements ProvisionStep<HostSessions> {
  private final NetworkPlan plan;

  public ConnectHostsStep(NetworkPlan plan) {
    this.plan = plan;
  }

  @Override
  public String name() {
    return "ConnectHosts";
  }

  @Override
  public StepOutcome<HostSessions> run(Progress progress) {
    HostSessions sessions = HostSessions.open(plan.hosts().stream().map(NetworkPlan.PlannedHost::access).toList());
    try {
      // The first command starts a shell session: it measures what the host's login shell
      // costs (its startup files), from which later steps' budgets are derived.
      sessions.forEach(s -> {
        String kernel = s.ssh().shell().run("uname -sr", Duration.ofSeconds(10)).strip();
        progress.line(s.name() + ": " + s.ssh().target().label() + ", Docker "
            + s.docker().engineVersion() + " (API " + s.docker().apiVersion() + "), " + kernel
            + "; " + s.ssh().shell().measured());
      });
    } catch (RuntimeException e) {
      sessions.close();
      throw e;
    }
    return StepOutcome.unchanged(sessions, sessions.all().size() + " hosts connected");
  }
}
