package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * An endorsed transaction's payload as Fabric's protoutil builds it (CreateSignedTx before the
 * signature): the proposal's header, and one action carrying the proposal payload, the endorsed
 * ProposalResponsePayload and every endorsement. The creator signs the payload's bytes.
 */
public final class Transactions {
  private Transactions() {}

  /**
   * @param responses endorsements that agree (same payload); the first one's payload is used
   * @throws IllegalArgumentException when the proposal's header does not parse or there is no response
   */
  public static Payload payload(Proposal proposal, List<ProposalResponse> responses) {
    if (responses.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs at least one endorsement");
    }
    Header header;
    try {
      header = Header.parseFrom(proposal.getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("the proposal's header does not parse: " + e.getMessage(), e);
    }
    ChaincodeEndorsedAction.Builder action = ChaincodeEndorsedAction.newBuilder()
        .setProposalResponsePayload(responses.get(0).getPayload());
    responses.forEach(r -> action.addEndorsements(r.getEndorsement()));
    ByteString tx = Transaction.newBuilder()
        .addActions(TransactionAction.newBuilder()
            .setHeader(header.getSignatureHeader())
            .setPayload(ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(proposal.getPayload())
                .setAction(action)
                .build().toByteString()))
        .build().toByteString();
    return Payload.newBuilder().setHeader(header).setData(tx).build();
  }
}
