package io.raftswarm.swarm.provision;

/** A step of the pipeline that this run leaves out, saying why (e.g. "after host2 joins: ..."). */
final class SkippedStep implements ProvisionStep<Void> {
  private final String name;
  private final String reason;

  SkippedStep(String name, String reason) {
    this.name = name;
    this.reason = reason;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StepOutcome<Void> run(Progress progress) {
    progress.line("skipped: " + reason);
    return StepOutcome.unchanged(null, "skipped: " + reason);
  }
}
