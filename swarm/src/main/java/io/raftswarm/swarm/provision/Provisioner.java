package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.render.RenderResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code raftswarm provision}: the pipeline from an inventory to a running, verified network.
 * <pre>
 * ParseInventory → RenderNetwork → ConnectHosts → PreflightHosts → ShipBundle → LoadImages
 *   → InitSwarm → JoinSwarm → CreateOverlayNetwork → ComposeUp → WaitHealthy → WaitLeaders
 *   → JoinPeers → DeployChaincodes → SmokeInvoke
 * </pre>
 * Nothing on a host changes before PreflightHosts passed. Every step is idempotent, so
 * re-running resumes after a failure and a run with no change reports every step "unchanged".
 */
public final class Provisioner {
  static final int STEPS = 15;

  /**
   * @param healthTimeout how long WaitHealthy waits for /healthz of all nodes
   * @param leaderTimeout how long WaitLeaders waits for one agreed leader per channel
   */
  public record Options(Path inventory, Path outDir, Duration healthTimeout, Duration leaderTimeout) {
    public Options {
      healthTimeout = healthTimeout == null ? Duration.ofSeconds(180) : healthTimeout;
      leaderTimeout = leaderTimeout == null ? Duration.ofSeconds(90) : leaderTimeout;
    }
  }

  private final Options options;
  private final PrintWriter out;

  public Provisioner(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Peers commit a moment after the orderers: give the final picture a few seconds to agree. */
  static NetworkStatus settledStatus(NetworkProfile profile, OperationsClient ops) {
    AtomicReference<NetworkStatus> last = new AtomicReference<>();
    try {
      return Wait.upTo(Duration.ofSeconds(10), Duration.ofMillis(500)).until(
          () -> {
            last.set(NetworkStatus.query(profile, ops));
            return last.get();
          },
          NetworkStatus::healthy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return last.get(); // interrupted while sleeping, after at least one query
    }
  }

  public ProvisionReport run() {
    long started = System.nanoTime();
    Progress progress = new Progress(out);
    StepsRunner steps = new StepsRunner(progress, STEPS,
        "raftswarm provision --inventory " + options.inventory() + " --out " + options.outDir(),
        "raftswarm down --inventory " + options.inventory());
    NetworkPlan plan = steps.run(new ParseInventoryStep(options.inventory()));
    RenderResult rendered = steps.run(new RenderNetworkStep(plan, options.outDir()));
    NetworkProfile profile = rendered.profile();
    OperationsClient ops = new OperationsClient();
    try (HostSessions hosts = steps.run(new ConnectHostsStep(plan))) {
      steps.run(new PreflightHostsStep(plan, hosts));
      steps.run(new ShipBundleStep(rendered, hosts));
      steps.run(new LoadImagesStep(plan.images(), hosts));
      SwarmJoin join = steps.run(new InitSwarmStep(plan, hosts));
      steps.run(new JoinSwarmStep(plan, hosts, join));
      steps.run(new CreateOverlayNetworkStep(plan, hosts));
      steps.run(new ComposeUpStep(plan, hosts));
      steps.run(new WaitHealthyStep(profile, hosts, ops, options.healthTimeout()));
      steps.run(new WaitLeadersStep(profile, ops, options.leaderTimeout()));
    }
    String admin = "Admin@" + profile.peers().get(0).org();
    try (FabricClient client = FabricClient.connect(profile, admin)) {
      steps.run(new JoinPeersStep(profile, rendered.outDir(), client, ops));
      steps.run(new DeployChaincodesStep(profile, client));
      boolean changed = steps.timings().stream().anyMatch(t -> StepTiming.DONE.equals(t.result()));
      steps.run(new SmokeInvokeStep(profile, client, changed));
    }
    NetworkStatus status = settledStatus(profile, ops);
    ProvisionReport report = new ProvisionReport(profile.name(), rendered.outDir().toString(),
        (System.nanoTime() - started) / 1_000_000, steps.timings(), status);
    report.write(rendered.outDir());
    return report;
  }
}
