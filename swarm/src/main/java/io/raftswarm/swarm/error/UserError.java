package io.raftswarm.swarm.error;

/**
 * An error the operator can fix, raised by any layer (inventory, render, remote, provision,
 * drill) and shown by the CLI: the message says what failed, where (file:line:field or
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
