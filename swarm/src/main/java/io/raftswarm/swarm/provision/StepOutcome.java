package io.raftswarm.swarm.provision;

import java.util.Objects;

/**
 * What a step produced and whether it changed anything.
 *
 * @param value the step's output, handed to later steps
 * @param changed false when everything was already as wanted ("unchanged")
 * @param detail one line for the operator (what was done or found)
 */
public record StepOutcome<T>(T value, boolean changed, String detail) {
  public StepOutcome {
    Objects.requireNonNull(detail, "detail");
  }

  public static <T> StepOutcome<T> done(T value, String detail) {
    return new StepOutcome<>(value, true, detail);
  }

  public static <T> StepOutcome<T> unchanged(T value, String detail) {
    return new StepOutcome<>(value, false, detail);
  }

  public static <T> StepOutcome<T> of(T value, boolean changed, String detail) {
    return new StepOutcome<>(value, changed, detail);
  }
}
