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
 *   → InitSwarm → JoinSwarm → CreateOverlayNetwork → ComposeUp → WaitHealthy → ReconcileConsenters
 *   → WaitLeaders → JoinPeers → DeployChaincodes → SmokeInvoke
 * </pre>
 * Invited hosts ({@code invite: true}) are rendered but never reached: their operators join them
 * with {@code raftswarm join} after {@code raftswarm invite} (see {@link InvitedHosts}).
 * Nothing on a host changes before PreflightHosts passed. Every step is idempotent, so
 * re-running resumes after a failure and a run with no change reports every step "unchanged".
 */
public final class Provisioner {
  static final int STEPS = 16;

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
  private java.util.function.Consumer<PrintWriter> nextSteps = w -> {};

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

  /** After {@link #run}: what the operator does next (invite the invited hosts), if anything. */
  public void printNextSteps(PrintWriter w) {
    nextSteps.accept(w);
  }

  public ProvisionReport run() {
    long started = System.nanoTime();
    Progress progress = new Progress(out);
    StepsRunner steps = new StepsRunner(progress, STEPS,
        "raftswarm provision --inventory " + options.inventory() + " --out " + options.outDir(),
        "raftswarm down --inventory " + options.inventory());
    NetworkPlan fullPlan = steps.run(new ParseInventoryStep(options.inventory()));
    RenderResult fullRender = steps.run(new RenderNetworkStep(fullPlan, options.outDir()));
    // Invited hosts are joined by their own operators (raftswarm invite/join): every bundle is
    // rendered, but the host steps and the waits cover only the hosts provision reaches.
    InvitedHosts invited = InvitedHosts.of(fullPlan);
    NetworkPlan plan = fullPlan.withoutInvitedHosts();
    NetworkProfile profile = fullRender.profile().withoutInvitedHosts();
    RenderResult rendered = new RenderResult(fullRender.outDir(), plan, fullRender.profile(),
        fullRender.hostBundles());
    invited.announce(out);
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
      if (invited.majority()) {
        steps.run(new ReconcileConsentersStep(fullRender, profile, ops, options.leaderTimeout()));
        steps.run(new WaitLeadersStep(profile, ops, options.leaderTimeout()));
      } else {
        steps.run(new SkippedStep("ReconcileConsenters", invited.noMajorityReason()));
        steps.run(new SkippedStep("WaitLeaders", invited.noMajorityReason()));
      }
    }
    String admin = "Admin@" + (profile.peers().isEmpty() ? fullRender.profile().peers() : profile.peers()).get(0).org();
    try (FabricClient client = FabricClient.connect(profile, admin)) {
      steps.run(new JoinPeersStep(profile, rendered.outDir(), client, ops));
      if (invited.canDeploy()) {
        steps.run(new DeployChaincodesStep(profile, client));
        boolean changed = steps.timings().stream().anyMatch(t -> StepTiming.DONE.equals(t.result()));
        steps.run(new SmokeInvokeStep(profile, client, changed));
      } else {
        steps.run(new SkippedStep("DeployChaincodes", invited.deployReason()));
        steps.run(new SkippedStep("SmokeInvoke", invited.deployReason()));
      }
    }
    NetworkStatus status = settledStatus(profile, ops);
    ProvisionReport report = new ProvisionReport(profile.name(), rendered.outDir().toString(),
        (System.nanoTime() - started) / 1_000_000, steps.timings(), status);
    report.write(rendered.outDir());
    nextSteps = w -> invited.nextSteps(w, rendered.outDir());
    return report;
  }
}
