package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;

/**
 * Restarts the node's container so that it mounts its new files; a node that already serves its
 * new TLS certificate was restarted by an earlier run and is left alone.
 */
final class RestartNodeStep implements ProvisionStep<Void> {
  private final RotationContext ctx;
  private final RotationTarget target;
  private final NodeMaterial renewed;

  RestartNodeStep(RotationContext ctx, RotationTarget target, NodeMaterial renewed) {
    this.ctx = ctx;
    this.target = target;
    this.renewed = renewed;
  }

  @Override
  public String name() {
    return "RestartNode " + target.label();
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
    if (ctx.servedCertificate(target.node()).filter(renewed.tls()::equals).isPresent()) {
      return StepOutcome.unchanged(null, target.name() + " already serves its new certificate");
    }
    ctx.restart().restart(target.node());
    return StepOutcome.done(null, "docker stop + start of " + target.name() + " on " + target.node().host());
  }
}
