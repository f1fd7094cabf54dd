package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.error.UserError;

/**
 * One step of the pipeline (Jib's {@code VerbNounStep}): inputs are final constructor
 * arguments, the output is the outcome's value. A step that finds nothing to do returns
 * {@link StepOutcome#unchanged}; that is what makes a repeated provision fast. Steps print
 * progress through {@link Progress}; they throw (preferably a {@code UserError} saying what to
 * fix) to stop the pipeline.
 */
public interface ProvisionStep<T> {
  /** Name shown to the operator, e.g. {@code InitSwarm}. */
  String name();

  StepOutcome<T> run(Progress progress) throws Exception;

  /** What a step written as a lambda does. */
  @FunctionalInterface
  interface Body<T> {
    StepOutcome<T> run(Progress progress) throws Exception;
  }

  /** A step whose work is a lambda (down's and join's small steps). */
  static <T> ProvisionStep<T> of(String name, Body<T> body) {
    return new ProvisionStep<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public StepOutcome<T> run(Progress progress) throws Exception {
        return body.run(progress);
      }
    };
  }
}
