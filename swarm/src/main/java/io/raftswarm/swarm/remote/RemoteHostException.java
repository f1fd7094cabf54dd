package io.raftswarm.swarm.remote;

import io.raftswarm.swarm.error.UserError;

/**
 * A remote host could not be used: unreachable, authentication or host key rejected, a command
 * failed. The message names the host and says how to fix it.
 */
public class RemoteHostException extends UserError {
  public RemoteHostException(String message) {
    super(message);
  }

  public RemoteHostException(String message, Throwable cause) {
    super(message, cause);
  }
}
