package io.raftswarm.common.identity;

/**
 * An identity was rejected or could not be read: unknown MSP, not issued by the MSP's CA,
 * expired, malformed. Unchecked, so validation can sit inside stream handlers; the message is
 * meant for the client (Fabric returns it in a BAD_REQUEST / FORBIDDEN status).
 */
public class IdentityException extends RuntimeException {
  public IdentityException(String message) {
    super(message);
  }

  public IdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
