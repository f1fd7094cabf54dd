package io.raftswarm.peer.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.identity.VerifiedCreator;
import io.raftswarm.peer.chaincode.Chaincode;
import io.raftswarm.peer.chaincode.ChaincodeResponse;
import io.raftswarm.peer.chaincode.Chaincodes;
import io.raftswarm.peer.channel.ChannelLedger;
import io.raftswarm.peer.channel.Channels;
import io.raftswarm.peer.ledger.VersionedValue;
import io.raftswarm.peer.ledger.WorldState;
import io.raftswarm.peer.tx.ChaincodeDefinition;
import io.raftswarm.peer.tx.ProposalHashes;
import io.raftswarm.peer.tx.ReadWriteSet;
import io.raftswarm.peer.validation.EndorsementPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endorser: checks a signed proposal, runs the chaincode on current state and answers with a
 * ProposalResponse whose payload (proposal hash + ChaincodeAction with the read/write set and
 * the chaincode's response) the peer signs. System chaincodes, as in Fabric 1.4:
 * <ul>
 *   <li>{@code cscc JoinChain <genesis block>} (channel ""): joins a channel; the creator must be
 *       an admin of this peer's org. {@code cscc GetChannels} lists joined channels.</li>
 *   <li>{@code lscc deploy <channel> <ChaincodeDeploymentSpec> <policy>}: simulates a deploy
 *       (writes the definition under lscc/name plus the init writes); it takes effect when the
 *       transaction is ordered and committed. {@code lscc getccdata <channel> <name>} reads a definition.</li>
 * </ul>
 * Failures are answered as Fabric does: a response with status 500 and a message, no endorsement.
 * Thread-safe.
 */
public final class ProposalProcessor {
  private static final Logger log = LoggerFactory.getLogger("endorser");
  /** The chaincode type travels in ChaincodeDeploymentSpec.chaincode_spec.chaincode_id.path. */
  public static final String DEPLOY = "deploy";

  private final SigningIdentity peer;
  private final MspRegistry localMsp;
  private final Channels channels;
  private final Chaincodes chaincodes;

  public ProposalProcessor(SigningIdentity peer, OrgMsp localMsp, Channels channels, Chaincodes chaincodes) {
    this.peer = peer;
    this.localMsp = new MspRegistry(List.of(localMsp));
    this.channels = channels;
    this.chaincodes = chaincodes;
  }

  /** An error answer; the message goes to the client as is. */
  static final class ProposalException extends Exception {
    final int status;

    ProposalException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private record Parsed(Proposal proposal, Header header, ChannelHeader channelHeader, SignatureHeader signatureHeader,
      ChaincodeProposalPayload payload, String chaincode, List<String> args, List<ByteString> rawArgs) {}

  public ProposalResponse process(SignedProposal signed) {
    try {
      Parsed p = parse(signed);
      if (p.channelHeader().getChannelId().isEmpty()) {
        return systemWithoutChannel(signed, p);
      }
      ChannelLedger ledger = channels.ledger(p.channelHeader().getChannelId())
          .orElseThrow(() -> new ProposalException(404, "channel " + p.channelHeader().getChannelId()
              + " is not joined on this peer (joined: " + channels.channelIds() + ")"));
      checkCreator(signed, p, ledger.config().msps());
      return endorse(p, ledger);
    } catch (ProposalException e) {
      log.debug("Proposal rejected: {}", e.getMessage());
      return error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Proposal failed", e);
      return error(500, "endorser failed: " + e);
    }
  }

  private Parsed parse(SignedProposal signed) throws ProposalException {
    try {
      Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
      Header header = Header.parseFrom(proposal.getHeader());
      ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
      SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
      if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
        throw new ProposalException(400, "proposal header type must be ENDORSER_TRANSACTION, got " + channelHeader.getType());
      }
      ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
      ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.parseFrom(payload.getInput());
      String chaincode = spec.getChaincodeSpec().getChaincodeId().getName();
      if (chaincode.isEmpty()) {
        throw new ProposalException(400, "proposal names no chaincode");
      }
      List<ByteString> raw = spec.getChaincodeSpec().getInput().getArgsList();
      List<String> args = raw.stream().map(ByteString::toStringUtf8).toList();
      return new Parsed(proposal, header, channelHeader, signatureHeader, payload, chaincode, args, raw);
    } catch (InvalidProtocolBufferException e) {
      throw new ProposalException(400, "malformed proposal: " + e.getMessage());
    }
  }

  private VerifiedCreator checkCreator(SignedProposal signed, Parsed p, MspRegistry msps) throws ProposalException {
    VerifiedCreator creator;
    try {
      creator = msps.validateCreator(p.signatureHeader().getCreator());
    } catch (IdentityException e) {
      throw new ProposalException(403, "access denied: " + e.getMessage());
    }
    if (!Identities.verify(creator.certificate(), signed.getProposalBytes().toByteArray(), signed.getSignature().toByteArray())) {
      throw new ProposalException(403, "access denied: the proposal signature does not verify with the creator's certificate");
    }
    String expected = Envelopes.txId(p.signatureHeader().getNonce().toByteArray(), p.signatureHeader().getCreator());
    if (!expected.equals(p.channelHeader().getTxId())) {
      throw new ProposalException(400, "invalid txID " + p.channelHeader().getTxId() + ": it must be hex(SHA-256(nonce || creator))");
    }
    return creator;
  }

  private ProposalResponse systemWithoutChannel(SignedProposal signed, Parsed p) throws ProposalException {
    if (!"cscc".equals(p.chaincode())) {
      throw new ProposalException(400, "chaincode " + p.chaincode() + " needs a channel");
    }
    VerifiedCreator creator = checkCreator(signed, p, localMsp);
    String function = p.args().isEmpty() ? "" : p.args().get(0);
    switch (function) {
      case "JoinChain" -> {
        if (!creator.hasRole("admin")) {
          throw new ProposalException(403, "access denied: JoinChain needs an admin of " + peer.mspId()
              + ", not " + creator.role().orElse("a member") + " " + creator.certificate().getSubjectX500Principal());
        }
        if (p.rawArgs().size() < 2) {
          throw new ProposalException(400, "JoinChain needs the genesis block as its argument");
        }
        Block block;
        try {
          block = Block.parseFrom(p.rawArgs().get(1));
        } catch (InvalidProtocolBufferException e) {
          throw new ProposalException(400, "JoinChain argument is not a common.Block: " + e.getMessage());
        }
        try {
          boolean joined = channels.join(block);
          return ProposalResponse.newBuilder().setVersion(1)
              .setResponse(Response.newBuilder().setStatus(200).setMessage(joined ? "joined" : "already joined"))
              .build();
        } catch (IllegalArgumentException e) {
          throw new ProposalException(500, "cannot join: " + e.getMessage());
        }
      }
      case "GetChannels" -> {
        return ProposalResponse.newBuilder().setVersion(1)
            .setResponse(Response.newBuilder().setStatus(200)
                .setPayload(ByteString.copyFromUtf8(String.join("\n", channels.channelIds()))))
            .build();
      }
      default -> throw new ProposalException(400, "unknown cscc function '" + function + "' (supported: JoinChain, GetChannels)");
    }
  }

  private ProposalResponse endorse(Parsed p, ChannelLedger ledger) throws ProposalException {
    WorldState state = ledger.state();
    String channel = ledger.channelId();
    ReadWriteSet rwSet = new ReadWriteSet();
    ChaincodeResponse response;
    String version;
    Optional<ChaincodeEvent> event = Optional.empty();
    if (ChaincodeDefinition.LSCC.equals(p.chaincode())) {
      version = "";
      response = state.underReadLock(() -> lscc(p, ledger, rwSet));
    } else {
      ChaincodeDefinition definition = state.get(ChaincodeDefinition.LSCC, p.chaincode())
          .map(v -> ChaincodeDefinition.fromJson(v.value()))
          .orElseThrow(() -> new ProposalException(500, "chaincode " + p.chaincode() + " is not deployed on channel "
              + channel + "; deploy it first (raftswarm chaincode deploy -C " + channel + " -n " + p.chaincode() + " -l <type>)"));
      Chaincode chaincode = chaincodes.byType(definition.type())
          .orElseThrow(() -> new ProposalException(500, "chaincode type " + definition.type() + " is not built into this peer"));
      version = definition.version();
      // the chaincode reads the definition too, so a redeploy between endorsement and commit conflicts
      rwSet.read(ChaincodeDefinition.LSCC, p.chaincode(), state.get(ChaincodeDefinition.LSCC, p.chaincode()).map(VersionedValue::version));
      SimulationStub stub = new SimulationStub(p.chaincode(), p.args(), p.channelHeader().getTxId(), channel, state, rwSet);
      response = state.underReadLock(() -> chaincode.invoke(stub));
      event = stub.event();
    }
    if (!response.isOk()) {
      return error(response.status(), response.message());
    }
    return signedResponse(p, rwSet, response, version, event);
  }

  private ChaincodeResponse lscc(Parsed p, ChannelLedger ledger, ReadWriteSet rwSet) {
    String function = p.args().isEmpty() ? "" : p.args().get(0);
    if ("getccdata".equals(function) && p.args().size() >= 3) {
      return ledger.state().get(ChaincodeDefinition.LSCC, p.args().get(2))
          .map(v -> ChaincodeResponse.success(v.value()))
          .orElseGet(() -> new ChaincodeResponse(404, "chaincode " + p.args().get(2) + " is not deployed on " + ledger.channelId(), null));
    }
    if (!DEPLOY.equals(function) || p.rawArgs().size() < 4) {
      return ChaincodeResponse.error("lscc supports: deploy <channel> <ChaincodeDeploymentSpec> <policy>, getccdata <channel> <name>");
    }
    ChaincodeDeploymentSpec cds;
    try {
      cds = ChaincodeDeploymentSpec.parseFrom(p.rawArgs().get(2));
    } catch (InvalidProtocolBufferException e) {
      return ChaincodeResponse.error("deploy argument 2 is not a ChaincodeDeploymentSpec: " + e.getMessage());
    }
    ChaincodeID id = cds.getChaincodeSpec().getChaincodeId();
    String type = id.getPath();
    String policyText = p.args().get(3);
    Optional<Chaincode> chaincode = chaincodes.byType(type);
    if (chaincode.isEmpty()) {
      return ChaincodeResponse.error("unknown chaincode type '" + type + "'; built in: " + chaincodes.types());
    }
    EndorsementPolicy policy;
    try {
      policy = EndorsementPolicy.parse(policyText);
    } catch (IllegalArgumentException e) {
      return ChaincodeResponse.error(e.getMessage());
    }
    List<String> unknown = policy.mspIds().stream().filter(m -> ledger.config().msps().byId(m).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      return ChaincodeResponse.error("endorsement policy names MSP(s) " + unknown + " that are not in channel " + ledger.channelId());
    }
    if (id.getName().isEmpty() || id.getName().equals(ChaincodeDefinition.LSCC) || !id.getName().matches("[A-Za-z0-9_.+-]+")) {
      return ChaincodeResponse.error("invalid chaincode name '" + id.getName() + "'");
    }
    Optional<VersionedValue> existing = ledger.state().get(ChaincodeDefinition.LSCC, id.getName());
    if (existing.isPresent()) {
      ChaincodeDefinition old = ChaincodeDefinition.fromJson(existing.get().value());
      return new ChaincodeResponse(409, "chaincode " + id.getName() + " is already deployed on " + ledger.channelId()
          + " (type " + old.type() + ", version " + old.version() + ", policy " + old.policy() + ")", null);
    }
    ChaincodeDefinition definition = new ChaincodeDefinition(id.getName(), type,
        id.getVersion().isEmpty() ? "1.0" : id.getVersion(), policy.toString());
    rwSet.read(ChaincodeDefinition.LSCC, id.getName(), Optional.empty());
    rwSet.write(ChaincodeDefinition.LSCC, id.getName(), definition.toJson());
    List<String> initArgs = cds.getChaincodeSpec().getInput().getArgsList().stream().map(ByteString::toStringUtf8).toList();
    SimulationStub stub = new SimulationStub(id.getName(), initArgs, p.channelHeader().getTxId(), ledger.channelId(),
        ledger.state(), rwSet);
    ChaincodeResponse init = chaincode.get().init(stub);
    if (!init.isOk()) {
      return new ChaincodeResponse(init.status(), "init of " + id.getName() + " failed: " + init.message(), null);
    }
    return ChaincodeResponse.success(definition.toJson());
  }

  private ProposalResponse signedResponse(Parsed p, ReadWriteSet rwSet, ChaincodeResponse response, String version,
      Optional<ChaincodeEvent> event) {
    Response fabricResponse = Response.newBuilder()
        .setStatus(response.status())
        .setMessage(response.message())
        .setPayload(ByteString.copyFrom(response.payload()))
        .build();
    ChaincodeAction.Builder actionBuilder = ChaincodeAction.newBuilder()
        .setResults(rwSet.toByteString())
        .setResponse(fabricResponse)
        .setChaincodeId(ChaincodeID.newBuilder().setName(p.chaincode()).setVersion(version));
    event.ifPresent(e -> actionBuilder.setEvents(e.toByteString()));
    ChaincodeAction action = actionBuilder.build();
    ByteString prp = ProposalResponsePayload.newBuilder()
        .setProposalHash(ProposalHashes.of(p.header().getChannelHeader(), p.header().getSignatureHeader(), p.proposal().getPayload()))
        .setExtension(action.toByteString())
        .build()
        .toByteString();
    ByteString endorser = peer.serialize();
    byte[] signature = peer.sign(prp.concat(endorser).toByteArray());
    return ProposalResponse.newBuilder()
        .setVersion(1)
        .setResponse(fabricResponse)
        .setPayload(prp)
        .setEndorsement(Endorsement.newBuilder().setEndorser(endorser).setSignature(ByteString.copyFrom(signature)))
        .build();
  }

  private static ProposalResponse error(int status, String message) {
    return ProposalResponse.newBuilder().setVersion(1)
        .setResponse(Response.newBuilder().setStatus(status).setMessage(message == null ? "" : message))
        .build();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
