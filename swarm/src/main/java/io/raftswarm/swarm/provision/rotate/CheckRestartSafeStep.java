package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses to touch a node whose restart the network cannot take now ({@link RestartSafety}),
 * before anything about it changes: an orderer's restart must leave every channel a Raft
 * majority, and every channel needs a leader.
 */
final class CheckRestartSafeStep implements ProvisionStep<Void> {
  private final RotationContext ctx;
  private final RotationTarget target;

  CheckRestartSafeStep(RotationContext ctx, RotationTarget target) {
    this.ctx = ctx;
    this.target = target;
  }

  @Override
  public String name() {
    return "CheckRestartSafe " + target.label();
  }

  @Override
  public StepOutcome<Void> run(Progress progress) {
    Map<String, Optional<OrdererStatus>> statuses = ctx.ordererStatuses();
    RestartSafety.problem(ctx.profile(), target.node(), statuses).ifPresent(why -> {
      throw new UserError("refusing to rotate " + target.name() + " now: " + why);
    });
    return StepOutcome.unchanged(null, RestartSafety.summary(ctx.profile(), target.node(), statuses));
  }
}
