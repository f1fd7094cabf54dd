package io.raftswarm.swarm.client;

/**
 * A client operation failed; {@link #failure()} says which way, the message says where (node,
 * endpoint, channel) and what to do about it.
 */
public class FabricClientException extends RuntimeException {

  /** The ways an invoke, query, deploy or join can fail before a validation code exists. */
  public enum Failure {
    /** A name does not resolve through network.json, or a user's MSP/TLS material is missing. */
    CONFIGURATION,
    /** A peer answered the proposal with an error status (chaincode error, not deployed, access denied...). */
    ENDORSEMENT_FAILED,
    /** Peers endorsed but returned different results (their states differ). */
    ENDORSEMENT_MISMATCH,
    /** A peer could not be reached. */
    PEER_UNREACHABLE,
    /** The orderer has no Raft leader for the channel (Broadcast answered SERVICE_UNAVAILABLE). */
    SERVICE_UNAVAILABLE,
    /** The orderer could not be reached (down, wrong address, TLS failure). */
    ORDERER_UNREACHABLE,
    /** The orderer refused the transaction (BAD_REQUEST, FORBIDDEN, ...). */
    ORDERER_REJECTED,
    /** The transaction was ordered but the peer did not report its commit in time. */
    COMMIT_TIMEOUT,
    /** A deploy found the chaincode already deployed. */
    ALREADY_DEPLOYED,
    /** The peer refused to join the channel. */
    JOIN_FAILED
  }

  private final Failure failure;

  public FabricClientException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public FabricClientException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
