package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.RemoteShell;
import io.raftswarm.swarm.render.NetworkRenderer;
import java.time.Duration;
import java.util.List;

/**
 * {@code docker-compose up -d} of each host's own compose file on THAT host's engine (run over
 * SSH with its DOCKER_HOST). Compose run on a swarm manager schedules every container on that
 * node, so it is never run once for all hosts. Hosts run in parallel.
 */
public final class ComposeUpStep implements ProvisionStep<Void> {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final NetworkPlan plan;
  private final HostSessions sessions;

  public ComposeUpStep(NetworkPlan plan, HostSessions sessions) {
    this.plan = plan;
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "ComposeUp";
  }

  /** The compose command for one host, run in its bundle directory (.env sets the project). */
  static String composeCommand(String bundleDir, String dockerSocket, String args) {
    return "cd " + RemoteShell.quote(bundleDir) + " && DOCKER_HOST="
        + RemoteShell.quote("unix://" + dockerSocket) + " docker-compose -f "
        + NetworkRenderer.COMPOSE_FILE + " " + args;
  }

  static boolean swarmTimedOut(ExecResult r) {
    String out = r.stderr() + r.stdout();
    return out.contains("context deadline exceeded") || out.contains("attaching to network failed");
  }

  @Override
  public StepOutcome<Void> run(Progress progress) {
    List<Boolean> changed = sessions.onEach(s -> {
      String cmd = composeCommand(plan.host(s.name()).bundleDir(), s.host().dockerSocket(),
          "up -d --remove-orphans");
      ExecResult r = s.ssh().shell().exec(cmd, TIMEOUT);
      if (!r.ok() && swarmTimedOut(r)) {
        // The managers' attachment to the overlay timed out (a loaded or re-electing swarm); the
        // containers that did start are kept, so a second `up` only creates the ones that failed.
        progress.line(s.name() + ": Docker's swarm timed out attaching a container to " + plan.name()
            + " (context deadline exceeded); running docker-compose up once more");
        r = s.ssh().shell().exec(cmd, TIMEOUT);
      }
      if (!r.ok()) {
        boolean workerWithoutOverlay = !plan.host(s.name()).access().manager()
            && (r.stderr() + r.stdout()).contains("declared as external, but could not be found");
        throw new UserError("docker-compose up failed on " + s.name() + " (exit " + r.exitStatus()
            + "):\n" + r.tail(15) + (workerWithoutOverlay ? "\n  " + s.name() + " joined the swarm as a worker, and"
            + " compose on a worker does not see the attachable overlay network " + plan.name() + "; mark " + s.name()
            + " `manager: true` in the inventory (as the seeds make host2) and run provision again" : ""));
      }
      // compose v1 reports progress on stderr: "Creating x ... done", "x is up-to-date".
      String out = r.stderr() + r.stdout();
      long acted = out.lines().filter(l -> l.matches("(?i)^\\s*(creating|recreating|starting|removing)\\b.*")).count();
      progress.line(s.name() + ": " + (acted == 0 ? "all containers up-to-date"
          : acted + " containers created or started"));
      return acted > 0;
    });
    boolean any = changed.contains(true);
    return StepOutcome.of(null, any, any ? "containers started" : "all containers up-to-date");
  }
}
