package io.raftswarm.peer.tx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.ParsedEnvelope;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * An ENDORSER_TRANSACTION envelope taken apart (protoutil's GetPayloads chain): headers,
 * the endorsed proposal response payload and its chaincode action, the endorsements and the
 * read/write set. Only single-action transactions are accepted, as Fabric peers do.
 */
public record EndorsedTransaction(
    ParsedEnvelope envelope,
    String chaincodeName,
    ByteString chaincodeProposalPayload,
    ByteString proposalResponsePayloadBytes,
    ProposalResponsePayload proposalResponsePayload,
    ChaincodeAction action,
    List<Endorsement> endorsements,
    ReadWriteSet rwSet) {

  public EndorsedTransaction {
    endorsements = List.copyOf(endorsements);
  }

  public String txId() {
    return envelope.txId();
  }

  /** @throws InvalidProtocolBufferException naming the part that is malformed */
  public static EndorsedTransaction parse(Envelope env) throws InvalidProtocolBufferException {
    ParsedEnvelope parsed = Envelopes.parse(env);
    if (parsed.type() != HeaderType.ENDORSER_TRANSACTION) {
      throw new InvalidProtocolBufferException("not an endorser transaction but " + parsed.type());
    }
    ChaincodeHeaderExtension ext = ChaincodeHeaderExtension.parseFrom(parsed.channelHeader().getExtension());
    Transaction tx = Transaction.parseFrom(parsed.payload().getData());
    if (tx.getActionsCount() != 1) {
      throw new InvalidProtocolBufferException("transaction has " + tx.getActionsCount() + " actions; exactly 1 is supported");
    }
    TransactionAction ta = tx.getActions(0);
    ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(ta.getPayload());
    ByteString prpBytes = cap.getAction().getProposalResponsePayload();
    ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(prpBytes);
    ChaincodeAction action = ChaincodeAction.parseFrom(prp.getExtension());
    ReadWriteSet rwSet = ReadWriteSet.parse(action.getResults());
    String name = ext.getChaincodeId().getName();
    if (name.isEmpty()) {
      throw new InvalidProtocolBufferException("transaction names no chaincode in its header extension");
    }
    return new EndorsedTransaction(parsed, name, cap.getChaincodeProposalPayload(), prpBytes, prp, action,
        cap.getAction().getEndorsementsList(), rwSet);
  }
}
