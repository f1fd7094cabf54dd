package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.ExitedContainers;
import io.raftswarm.swarm.remote.HostSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits until every node's operations {@code /healthz} answers 200 on its external endpoint.
 * Fails fast when one of this network's containers has exited, naming it, its host, exit code
 * and last log lines; on timeout names the nodes still not healthy and how long it waited.
 */
public final class WaitHealthyStep implements ProvisionStep<Void> {
  private final NetworkProfile profile;
  private final HostSessions sessions;
  private final OperationsClient ops;
  private final Duration timeout;

  public WaitHealthyStep(NetworkProfile profile, HostSessions sessions, OperationsClient ops,
      Duration timeout) {
    this.profile = profile;
    this.sessions = sessions;
    this.ops = ops;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "WaitHealthy";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
    long started = System.nanoTime();
    Set<String> waiting = new LinkedHashSet<>();
    profile.nodes().forEach(n -> waiting.add(n.name()));
    int[] round = {0};
    Wait.upTo(timeout, Duration.ofMillis(500)).untilOrThrow(
        () -> {
          for (NetworkProfile.NodeEntry n : profile.nodes()) {
            if (waiting.contains(n.name()) && ops.healthy(n.operationsEndpoint())) {
              waiting.remove(n.name());
            }
          }
          return waiting;
        },
        Set::isEmpty,
        w -> {
          failIfExited();
          if (++round[0] % 10 == 0) {
            progress.line("waiting for " + w.size() + " of " + profile.nodes().size()
                + " nodes (" + (System.nanoTime() - started) / 1_000_000_000 + " s)");
          }
        },
        w -> new UserError(w.size() + " node(s) not healthy after " + timeout.toSeconds()
            + " s: " + describe(w) + "; look at 'docker logs <name>' on their hosts, then"
            + " re-run provision"));
    long ms = (System.nanoTime() - started) / 1_000_000;
    return StepOutcome.of(null, ms > 1500, profile.nodes().size() + " nodes healthy");
  }

  private String describe(Set<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      NetworkProfile.NodeEntry n = profile.node(name).orElseThrow();
      out.add(name + " (" + n.host() + ", http://" + n.operationsEndpoint() + "/healthz)");
    }
    return String.join(", ", out);
  }

  private void failIfExited() {
    for (HostSession s : sessions.all()) {
      ExitedContainers.first(s.docker().client(), Map.of(Labels.NETWORK, profile.name()), s.name()).ifPresent(exited -> {
        throw new UserError(exited + "\n  fix the cause, then re-run provision (or 'raftswarm down' to roll back)");
      });
    }
  }
}
