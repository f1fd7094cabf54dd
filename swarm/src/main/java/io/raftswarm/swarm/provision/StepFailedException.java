package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.error.UserError;

/** A pipeline step failed; the message says which, why, and how to resume or roll back. */
public class StepFailedException extends UserError {
  private final String step;

  public StepFailedException(String step, String message, Throwable cause) {
    super(message, cause);
    this.step = step;
  }

  public String step() {
    return step;
  }
}
