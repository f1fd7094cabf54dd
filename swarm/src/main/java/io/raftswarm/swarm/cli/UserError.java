package io.raftswarm.swarm.cli;

/**
 * An error the operator can fix: the message says what failed, where (file:line:field or
 * host:port) and how to fix it. Printed without a stack trace; exit code 2.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
