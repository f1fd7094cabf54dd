package io.raftswarm.swarm.client;

import java.util.Objects;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * An endorsed, signed transaction that has not been ordered yet (see {@link FabricClient#endorse}).
 *
 * @param request the invoke it came from (null for deploys)
 * @param envelope the signed transaction envelope as it will be broadcast
 * @param chaincodeStatus / payload the chaincode's answer at endorsement
 */
public record EndorsedInvoke(InvokeRequest request, String txId, Envelope envelope, int chaincodeStatus, String payload) {
  public EndorsedInvoke {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(envelope, "envelope");
  }
}
