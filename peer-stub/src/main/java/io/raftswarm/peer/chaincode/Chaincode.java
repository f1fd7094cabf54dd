package io.raftswarm.peer.chaincode;

/**
 * A built-in chaincode, in the shape of Fabric's shim {@code Chaincode} interface. Adding a
 * chaincode = one class implementing this plus one line in {@link Chaincodes}.
 *
 * <p>Threading: one instance serves all channels and proposals concurrently, so implementations
 * keep no mutable fields; everything goes through the stub. Determinism: every peer that
 * endorses the same proposal on the same state must produce byte-identical writes and
 * responses (no clocks, no randomness, no map iteration order).
 */
public interface Chaincode {

  /** The chaincode type name used at deploy time ({@code -l example02}). */
  String type();

  /** Runs once, inside the deploy transaction; its writes become the chaincode's initial state. */
  ChaincodeResponse init(ChaincodeStub stub);

  /** Runs for every invoke and query proposal. */
  ChaincodeResponse invoke(ChaincodeStub stub);
}
