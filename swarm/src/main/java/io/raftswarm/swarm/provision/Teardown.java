package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.HostSession;
import io.raftswarm.swarm.remote.RemoteShell;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code raftswarm down}: undoes provision on every host, finding targets by label and path:
 * ComposeDown (each host's compose file on its own engine, then any leftover container
 * labelled with this network), RemoveOverlayNetwork, LeaveSwarm (non-initial hosts first),
 * RemoveShippedFiles ({@code <workDir>/bundle}, and {@code <workDir>/data} unless keepData).
 * Every step is idempotent: down on a clean host reports "unchanged".
 */
public final class Teardown {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final Path inventoryFile;
  private final boolean keepData;
  private final PrintWriter out;

  public Teardown(Path inventoryFile, boolean keepData, PrintWriter out) {
    this.inventoryFile = inventoryFile;
    this.keepData = keepData;
    this.out = out;
  }

  public List<StepTiming> run() {
    Progress progress = new Progress(out);
    StepsRunner steps = new StepsRunner(progress, 6, "raftswarm down --inventory " + inventoryFile
        + (keepData ? " --keep-data" : ""), "(nothing to roll back; re-run down)");
    NetworkPlan fullPlan = steps.run(new ParseInventoryStep(inventoryFile));
    // Invited hosts are their operators' to tear down (docker-compose down, docker swarm leave there).
    NetworkPlan plan = fullPlan.withoutInvitedHosts();
    fullPlan.invitedHosts().forEach(h -> progress.line(h.name() + " is invited: not reached. Its operator runs"
        + " there, before this down (so the overlay network can go): cd " + h.bundleDir() + " && docker-compose down;"
        + " and after it: docker swarm leave --force"));
    String net = plan.name();
    try (HostSessions hosts = steps.run(new ConnectHostsStep(plan))) {
      steps.run(ProvisionStep.of("ComposeDown", p -> {
        List<Integer> removed = hosts.onEach(s -> composeDown(s, plan, net, p));
        int n = removed.stream().mapToInt(Integer::intValue).sum();
        return StepOutcome.of(null, n > 0, n + " containers removed");
      }));
      steps.run(ProvisionStep.of("RemoveOverlayNetwork", p -> {
        HostSession m = hosts.get(plan.manager().name());
        int n = 0;
        int deferred = 0;
        for (Network nw : m.docker().client().listNetworksCmd().exec()) {
          boolean ours = net.equals(nw.getName()) || (nw.getLabels() != null
              && net.equals(nw.getLabels().get(Labels.NETWORK)));
          if (ours && "overlay".equals(nw.getDriver())) {
            OverlayNetworkRemoval.Result r = OverlayNetworkRemoval.standard().remove(nw.getName(),
                () -> m.docker().client().removeNetworkCmd(nw.getId()).exec(), p);
            if (r == OverlayNetworkRemoval.Result.REMOVED) {
              p.line("removed network " + nw.getName() + " on " + m.name());
              n++;
            } else {
              deferred++;
            }
          }
        }
        String summary = n > 0 ? "removed " + net
            : deferred > 0 ? net + " left to LeaveSwarm" : "no overlay network " + net;
        return StepOutcome.of(null, n > 0, summary);
      }));
      steps.run(ProvisionStep.of("LeaveSwarm", p -> {
        String initial = plan.manager().name();
        int left = 0;
        List<String> stuck = new ArrayList<>();
        // The initial manager last: leaving it first would strand the others' quorum. A host
        // that cannot leave does not keep the others in: each is tried, the stuck ones named.
        for (HostSession s : hosts.all()) {
          if (!s.name().equals(initial)) {
            left += leaveOrNote(s, p, stuck);
          }
        }
        left += leaveOrNote(hosts.get(initial), p, stuck);
        if (!stuck.isEmpty()) {
          throw new UserError("could not leave the swarm: " + String.join("; ", stuck)
              + "; on each of those hosts run docker swarm leave --force, then run down again");
        }
        return StepOutcome.of(null, left > 0, left + " hosts left the swarm");
      }));
      steps.run(ProvisionStep.of("RemoveShippedFiles", p -> {
        List<Boolean> removed = hosts.onEach(s -> {
          NetworkPlan.PlannedHost ph = plan.host(s.name());
          String targets = RemoteShell.quote(ph.bundleDir())
              + (keepData ? "" : " " + RemoteShell.quote(ph.dataDir()));
          String o = s.ssh().shell().run("for d in " + targets + "; do [ -e \"$d\" ] && rm -rf \"$d\""
              + " && echo \"removed $d\"; done; rmdir " + RemoteShell.quote(ph.workDir())
              + " 2>/dev/null; true", TIMEOUT);
          o.lines().forEach(l -> p.line(s.name() + ": " + l));
          return !o.isBlank();
        });
        return StepOutcome.of(null, removed.contains(true), keepData
            ? "bundles removed, ledgers kept" : "bundles and ledgers removed");
      }));
    }
    return steps.timings();
  }

  private int composeDown(HostSession s, NetworkPlan plan, String net, Progress p) {
    String bundle = plan.host(s.name()).bundleDir();
    ExecResult r = s.ssh().shell().exec("test -f " + RemoteShell.quote(bundle + "/docker-compose.yaml")
        + " && " + ComposeUpStep.composeCommand(bundle, s.host().dockerSocket(),
            "down --remove-orphans --timeout 5"), TIMEOUT);
    int removed = (int) (r.stderr() + r.stdout()).lines()
        .filter(l -> l.trim().toLowerCase().startsWith("removing ")).count();
    // Containers compose no longer knows about (e.g. bundle already deleted) are found by label.
    for (Container c : s.docker().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.NETWORK, net)).exec()) {
      s.docker().client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      removed++;
    }
    p.line(s.name() + ": " + removed + " containers removed");
    return removed;
  }

  /** 1 if the host left, 0 if it was not in a swarm; a failure is retried once, then noted in {@code stuck}. */
  private static int leaveOrNote(HostSession s, Progress p, List<String> stuck) {
    for (int attempt = 1; ; attempt++) {
      try {
        return leave(s, p) ? 1 : 0;
      } catch (DockerException e) {
        if (attempt == 2) {
          stuck.add(s.name() + " (" + e.getMessage().strip() + ")");
          return 0;
        }
        // Leaving stops the node's swarm agent, which the daemon bounds with its own deadline
        // (15 s); a loaded swarm can miss it once.
        p.line(s.name() + ": docker swarm leave failed (" + e.getMessage().strip() + "); trying once more");
      }
    }
  }

  private static boolean leave(HostSession s, Progress p) {
    return SwarmDeparture.leave(s.docker().client(), s.name() + ": ", p);
  }
}
