package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.RemoteShell;
import io.raftswarm.swarm.remote.UploadResult;
import io.raftswarm.swarm.render.RenderResult;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Mirrors each host's bundle to {@code <workDir>/bundle} over SFTP (unchanged files skipped by
 * hash, modes kept), creates the nodes' {@code <workDir>/data/<fqdn>} ledger directories, and
 * hands crypto material and data to uid 10001, the user the images run as.
 */
public final class ShipBundleStep implements ProvisionStep<Void> {
  static final String CONTAINER_UID = "10001:10001";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final RenderResult rendered;
  private final NetworkPlan plan;
  private final HostSessions sessions;

  public ShipBundleStep(RenderResult rendered, HostSessions sessions) {
    this.rendered = rendered;
    this.plan = rendered.plan();
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "ShipBundle";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) {
    List<Boolean> changed = sessions.onEach(s -> {
      NetworkPlan.PlannedHost ph = plan.host(s.name());
      UploadResult up = s.ssh().uploader().mirror(rendered.hostBundles().get(s.name()), ph.bundleDir());
      String dataDirs = ph.nodes().stream().map(n -> RemoteShell.quote(n.dataDir()))
          .collect(Collectors.joining(" "));
      String bundle = RemoteShell.quote(ph.bundleDir());
      // Prints one line per directory it had to create, so a re-run can report "unchanged".
      String out = s.ssh().shell().run("for d in " + dataDirs + "; do [ -d \"$d\" ] || { mkdir -p"
          + " \"$d\" && echo \"created $d\"; }; done; chown -R " + CONTAINER_UID + " " + dataDirs
          + " " + bundle + "/crypto-config " + bundle + "/channel-artifacts", TIMEOUT);
      long created = out.lines().filter(l -> l.startsWith("created ")).count();
      progress.line(s.name() + ": " + up.uploaded() + " uploaded, " + up.unchanged()
          + " unchanged, " + up.removed() + " removed, " + created + " data dirs created");
      return up.changed() || created > 0;
    });
    boolean any = changed.contains(true);
    return StepOutcome.of(null, any, any ? "bundles shipped" : "bundles already in place");
  }
}
