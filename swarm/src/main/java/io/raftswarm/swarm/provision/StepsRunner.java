package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.error.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the named steps in order, printing {@code [k/N] Name ...} then ✔ done / = unchanged /
 * ✘ failed with the step's duration, and records timings for the report. A failure stops the
 * run with a message naming step k, the cause, and the resume and rollback commands.
 */
public final class StepsRunner {
  private final Progress progress;
  private final int total;
  private final String resumeHint;
  private final String rollbackHint;
  private final List<StepTiming> timings = new ArrayList<>();

  /**
   * @param total how many steps this run will have (for {@code [k/N]})
   * @param resumeHint the command that resumes (re-runs) the pipeline
   * @param rollbackHint the command that undoes what was done so far
   */
  public StepsRunner(Progress progress, int total, String resumeHint, String rollbackHint) {
    this.progress = progress;
    this.total = total;
    this.resumeHint = resumeHint;
    this.rollbackHint = rollbackHint;
  }

  public <T> T run(ProvisionStep<T> step) {
    int k = timings.size() + 1;
    progress.raw(String.format("[%d/%d] %s ...", k, total, step.name()));
    long started = System.nanoTime();
    StepOutcome<T> outcome;
    try {
      outcome = step.run(progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(k, step, started, "interrupted", e);
    } catch (Exception e) {
      String why = e instanceof UserError ? e.getMessage() : e.toString();
      throw failed(k, step, started, why, e);
    }
    long ms = elapsedMs(started);
    String result = outcome.changed() ? StepTiming.DONE : StepTiming.UNCHANGED;
    timings.add(new StepTiming(step.name(), result, outcome.detail(), ms));
    progress.raw(String.format("      %s %s: %s (%s) %s", outcome.changed() ? "✔" : "=",
        step.name(), result, seconds(ms), outcome.detail()));
    return outcome.value();
  }

  private StepFailedException failed(int k, ProvisionStep<?> step, long started, String why,
      Exception cause) {
    long ms = elapsedMs(started);
    timings.add(new StepTiming(step.name(), StepTiming.FAILED, why, ms));
    progress.raw(String.format("      ✘ %s: failed (%s)", step.name(), seconds(ms)));
    return new StepFailedException(step.name(), String.format(
        "step %d/%d %s failed: %s%n  to resume after fixing it: %s (finished steps report"
            + " 'unchanged')%n  to roll back: %s", k, total, step.name(), why, resumeHint,
        rollbackHint), cause);
  }

  public List<StepTiming> timings() {
    return List.copyOf(timings);
  }

  static String seconds(long ms) {
    return String.format("%.1f s", ms / 1000.0);
  }

  private static long elapsedMs(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
