package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.files.FileTrees;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import io.raftswarm.swarm.remote.RemoteShell;
import java.io.IOException;
import java.time.Duration;

/**
 * Once the node is verified: drops the backups (its host's {@code .rotate-old/}, the network
 * dir's {@code rotate-certs/<fqdn>/}) and records the node as done, so a re-run of an
 * interrupted rotation goes on with the next node.
 */
final class FinishNodeStep implements ProvisionStep<Void> {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RotationContext ctx;
  private final RotationTarget target;
  private final RotationJournal journal;

  FinishNodeStep(RotationContext ctx, RotationTarget target, RotationJournal journal) {
    this.ctx = ctx;
    this.target = target;
    this.journal = journal;
  }

  @Override
  public String name() {
    return "Finish " + target.label();
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws IOException {
    ctx.sessions().with(target.node().host(), s -> s.ssh().shell().run(
        "rm -rf " + RemoteShell.quote(target.remote() + "/.rotate-old") + " " + RemoteShell.quote(target.remote() + "/.rotate-new"),
        TIMEOUT));
    FileTrees.deleteRecursively(target.work());
    journal.done(target.name());
    return StepOutcome.done(null, "backups removed; " + target.name() + " done");
  }
}
