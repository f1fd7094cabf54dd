package io.raftswarm.swarm.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.Transactions;
import io.raftswarm.common.identity.SigningIdentity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Building Fabric proposals and transactions as the peer CLI does (protoutil): a signed
 * ENDORSER_TRANSACTION proposal for a chaincode invocation, and the transaction envelope that
 * carries the proposal, the endorsed ProposalResponsePayload and the endorsements. Stateless.
 */
final class Proposals {
  private Proposals() {}

  /** A proposal with its tx id, signed by the creator. */
  record Signed(SignedProposal signed, Proposal proposal, String txId) {}

  static Signed invocation(SigningIdentity creator, String channel, String chaincode, List<ByteString> args, Clock clock) {
    byte[] nonce = Envelopes.nonce();
    String txId = Envelopes.txId(nonce, creator.serialize());
    Instant now = clock.instant();
    ChannelHeader channelHeader = ChannelHeader.newBuilder()
        .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
        .setChannelId(channel)
        .setTxId(txId)
        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setExtension(ChaincodeHeaderExtension.newBuilder()
            .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build().toByteString())
        .build();
    SignatureHeader signatureHeader = SignatureHeader.newBuilder()
        .setCreator(creator.serialize())
        .setNonce(ByteString.copyFrom(nonce))
        .build();
    ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.newBuilder()
        .setChaincodeSpec(ChaincodeSpec.newBuilder()
            .setType(ChaincodeSpec.Type.GOLANG)
            .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
            .setInput(ChaincodeInput.newBuilder().addAllArgs(args)))
        .build();
    Proposal proposal = Proposal.newBuilder()
        .setHeader(Header.newBuilder()
            .setChannelHeader(channelHeader.toByteString())
            .setSignatureHeader(signatureHeader.toByteString())
            .build().toByteString())
        .setPayload(ChaincodeProposalPayload.newBuilder().setInput(spec.toByteString()).build().toByteString())
        .build();
    ByteString bytes = proposal.toByteString();
    SignedProposal signed = SignedProposal.newBuilder()
        .setProposalBytes(bytes)
        .setSignature(ByteString.copyFrom(creator.sign(bytes.toByteArray())))
        .build();
    return new Signed(signed, proposal, txId);
  }

  static List<ByteString> utf8(List<String> args) {
    return args.stream().map(ByteString::copyFromUtf8).toList();
  }

  /** {@code lscc deploy <channel> <ChaincodeDeploymentSpec> <policy>}; the type travels in chaincode_id.path. */
  static Signed deploy(SigningIdentity creator, String channel, String name, String type, String version,
      List<String> initArgs, String policy, Clock clock) {
    ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
        .setChaincodeSpec(ChaincodeSpec.newBuilder()
            .setType(ChaincodeSpec.Type.GOLANG)
            .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version).setPath(type))
            .setInput(ChaincodeInput.newBuilder().addAllArgs(utf8(initArgs))))
        .build();
    return invocation(creator, channel, "lscc", List.of(ByteString.copyFromUtf8("deploy"), ByteString.copyFromUtf8(channel),
        cds.toByteString(), ByteString.copyFromUtf8(policy)), clock);
  }

  /** {@code cscc JoinChain <genesis block>} on no channel, as {@code peer channel join -b} sends it. */
  static Signed joinChain(SigningIdentity admin, ByteString genesisBlock, Clock clock) {
    return invocation(admin, "", "cscc", List.of(ByteString.copyFromUtf8("JoinChain"), genesisBlock), clock);
  }

  /** The signed transaction envelope (protoutil.CreateSignedTx) from agreeing endorsements. */
  static Envelope transaction(SigningIdentity creator, Proposal proposal, List<ProposalResponse> responses) {
    ByteString payload = Transactions.payload(proposal, responses).toByteString();
    return Envelope.newBuilder()
        .setPayload(payload)
        .setSignature(ByteString.copyFrom(creator.sign(payload.toByteArray())))
        .build();
  }
}
