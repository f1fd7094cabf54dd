package io.raftswarm.swarm.client;

import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What happened to an invoke (or deploy) that was endorsed and accepted by an orderer.
 *
 * @param orderer the orderer that accepted the transaction (may differ from the requested one with orderer-any)
 * @param triedOrderers orderers tried before it, with why each failed
 * @param chaincodeStatus the chaincode's response status at endorsement (200)
 * @param payload the chaincode's response payload (UTF-8)
 * @param validationCode the committing peer's verdict; empty when not waited for
 * @param blockNumber the block holding the transaction; -1 when not waited for
 */
public record InvokeResult(String txId, String orderer, List<String> triedOrderers, int chaincodeStatus, String payload,
    Optional<TxValidationCode> validationCode, long blockNumber) {

  public InvokeResult {
    triedOrderers = List.copyOf(triedOrderers);
  }

  /** True when committed VALID (or not waited for). */
  public boolean isValid() {
    return validationCode.map(c -> c == TxValidationCode.VALID).orElse(true);
  }
}
