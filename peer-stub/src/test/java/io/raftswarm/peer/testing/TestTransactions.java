package io.raftswarm.peer.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/** Client-side message building for peer tests (what the swarm client library does). */
public final class TestTransactions {
  private TestTransactions() {}

  /** A signed proposal and the pieces needed to turn its responses into a transaction. */
  public record SignedProposalAndHeader(SignedProposal signed, Proposal proposal, String txId) {}

  public static SignedProposalAndHeader proposal(SigningIdentity creator, String channel, String chaincode, List<ByteString> args) {
    byte[] nonce = Envelopes.nonce();
    String txId = Envelopes.txId(nonce, creator.serialize());
    Instant now = Instant.now();
    ChannelHeader ch = ChannelHeader.newBuilder()
        .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
        .setChannelId(channel)
        .setTxId(txId)
        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build().toByteString())
        .build();
    SignatureHeader sh = SignatureHeader.newBuilder().setCreator(creator.serialize()).setNonce(ByteString.copyFrom(nonce)).build();
    ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.newBuilder()
        .setChaincodeSpec(ChaincodeSpec.newBuilder()
            .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
            .setInput(ChaincodeInput.newBuilder().addAllArgs(args)))
        .build();
    Proposal proposal = Proposal.newBuilder()
        .setHeader(Header.newBuilder().setChannelHeader(ch.toByteString()).setSignatureHeader(sh.toByteString()).build().toByteString())
        .setPayload(ChaincodeProposalPayload.newBuilder().setInput(spec.toByteString()).build().toByteString())
        .build();
    ByteString bytes = proposal.toByteString();
    SignedProposal signed = SignedProposal.newBuilder().setProposalBytes(bytes)
        .setSignature(ByteString.copyFrom(creator.sign(bytes.toByteArray()))).build();
    return new SignedProposalAndHeader(signed, proposal, txId);
  }

  public static SignedProposalAndHeader invoke(SigningIdentity creator, String channel, String chaincode, String... args) {
    return proposal(creator, channel, chaincode, List.of(args).stream().map(ByteString::copyFromUtf8).toList());
  }

  public static SignedProposalAndHeader deploy(SigningIdentity creator, String channel, String name, String type,
      String policy, String... initArgs) {
    ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
        .setChaincodeSpec(ChaincodeSpec.newBuilder()
            .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion("1.0").setPath(type))
            .setInput(ChaincodeInput.newBuilder().addAllArgs(List.of(initArgs).stream().map(ByteString::copyFromUtf8).toList())))
        .build();
    return proposal(creator, channel, "lscc", List.of(ByteString.copyFromUtf8("deploy"), ByteString.copyFromUtf8(channel),
        cds.toByteString(), ByteString.copyFromUtf8(policy)));
  }

  public static SignedProposalAndHeader joinChain(SigningIdentity admin, Block genesis) {
    return proposal(admin, "", "cscc", List.of(ByteString.copyFromUtf8("JoinChain"), genesis.toByteString()));
  }

  /** The transaction envelope from a proposal and its (agreeing) endorsements. */
  public static Envelope transaction(SigningIdentity creator, Proposal proposal, List<ProposalResponse> responses) {
    try {
      Header header = Header.parseFrom(proposal.getHeader());
      ChaincodeEndorsedAction.Builder action = ChaincodeEndorsedAction.newBuilder()
          .setProposalResponsePayload(responses.get(0).getPayload());
      responses.forEach(r -> action.addEndorsements(r.getEndorsement()));
      Transaction tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
          .setHeader(header.getSignatureHeader())
          .setPayload(ChaincodeActionPayload.newBuilder()
              .setChaincodeProposalPayload(proposal.getPayload())
              .setAction(action).build().toByteString()))
          .build();
      ByteString payload = Payload.newBuilder().setHeader(header).setData(tx.toByteString()).build().toByteString();
      return Envelope.newBuilder().setPayload(payload).setSignature(ByteString.copyFrom(creator.sign(payload.toByteArray()))).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A block as an orderer would cut and sign it. */
  public static Block block(long number, byte[] previousHash, List<Envelope> envelopes, SigningIdentity orderer) {
    Block block = Blocks.build(number, previousHash, envelopes.stream().map(Envelope::toByteString).toList());
    return Blocks.withSignature(block, orderer);
  }
}
