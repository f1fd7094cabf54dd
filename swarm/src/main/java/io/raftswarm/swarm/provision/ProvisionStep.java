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
}
