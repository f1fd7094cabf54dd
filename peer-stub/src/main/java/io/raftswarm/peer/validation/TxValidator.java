package io.raftswarm.peer.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.ParsedEnvelope;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.VerifiedCreator;
import io.raftswarm.peer.chaincode.Chaincodes;
import io.raftswarm.peer.ledger.UpdateBatch;
import io.raftswarm.peer.ledger.Version;
import io.raftswarm.peer.ledger.VersionedValue;
import io.raftswarm.peer.ledger.WorldState;
import io.raftswarm.peer.tx.ChaincodeDefinition;
import io.raftswarm.peer.tx.EndorsedTransaction;
import io.raftswarm.peer.tx.ProposalHashes;
import io.raftswarm.peer.tx.ReadWriteSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Validates the transactions of a verified block, in order, like Fabric's committer (txvalidator
 * + MVCC validation): well-formed envelope, channel, creator and its signature, tx id, no
 * duplicate tx id, endorsements and the chaincode's endorsement policy, writes only to the
 * chaincode's namespace, and read versions equal to committed state with no earlier valid
 * transaction of the same block having written the key. Deterministic: every peer assigns the
 * same codes to the same block on the same state.
 */
public final class TxValidator {
  private final String channelId;
  private final MspRegistry msps;
  private final Chaincodes chaincodes;
  private final EndorsementPolicy deployPolicy;

  public TxValidator(ChannelConfig config, Chaincodes chaincodes) {
    this.channelId = config.channelId();
    this.msps = config.msps();
    this.chaincodes = chaincodes;
    this.deployPolicy = deployPolicy(config);
  }

  /** Deploys need the endorsement of a peer of any application org (Fabric's default instantiation rule is looser; this one is checkable). */
  public static EndorsementPolicy deployPolicy(ChannelConfig config) {
    List<EndorsementPolicy> peers = config.applicationOrgs().stream()
        .map(OrgMsp::mspId)
        .<EndorsementPolicy>map(id -> new EndorsementPolicy.Principal(id, "peer"))
        .toList();
    return peers.isEmpty() ? new EndorsementPolicy.OutOf(0, List.of()) : new EndorsementPolicy.OutOf(1, peers);
  }

  /** The outcome for one block: a code per transaction and the writes of the valid ones. */
  public record Result(List<TxValidationCode> codes, List<String> txIds, UpdateBatch updates) {
    public Result {
      codes = List.copyOf(codes);
      txIds = List.copyOf(txIds);
    }
  }

  /**
   * @param seenTxId whether a tx id is already in the ledger
   */
  public Result validate(Block block, WorldState state, Predicate<String> seenTxId) {
    long blockNum = block.getHeader().getNumber();
    UpdateBatch updates = new UpdateBatch();
    List<TxValidationCode> codes = new ArrayList<>();
    List<String> txIds = new ArrayList<>();
    Set<String> inBlock = new HashSet<>();
    for (int i = 0; i < block.getData().getDataCount(); i++) {
      Outcome outcome = validateOne(block.getData().getData(i), blockNum, i, state, updates, seenTxId, inBlock);
      codes.add(outcome.code());
      txIds.add(outcome.txId());
      if (!outcome.txId().isEmpty()) {
        inBlock.add(outcome.txId());
      }
    }
    return new Result(codes, txIds, updates);
  }

  private record Outcome(TxValidationCode code, String txId) {}

  private Outcome validateOne(ByteString bytes, long blockNum, int txNum, WorldState state, UpdateBatch updates,
      Predicate<String> seenTxId, Set<String> inBlock) {
    Envelope env;
    ParsedEnvelope parsed;
    try {
      env = Envelope.parseFrom(bytes);
      parsed = Envelopes.parse(env);
    } catch (InvalidProtocolBufferException e) {
      return new Outcome(TxValidationCode.BAD_PAYLOAD, "");
    }
    String txId = parsed.txId();
    if (!channelId.equals(parsed.channelId())) {
      return new Outcome(TxValidationCode.TARGET_CHAIN_NOT_FOUND, txId);
    }
    if (parsed.type() == HeaderType.CONFIG) {
      return new Outcome(TxValidationCode.VALID, txId); // config updates are not supported; nothing to apply
    }
    if (parsed.type() != HeaderType.ENDORSER_TRANSACTION) {
      return new Outcome(TxValidationCode.UNKNOWN_TX_TYPE, txId);
    }
    try {
      Envelopes.verify(env, msps);
    } catch (IdentityException e) {
      return new Outcome(TxValidationCode.BAD_CREATOR_SIGNATURE, txId);
    }
    ByteString creator = parsed.signatureHeader().getCreator();
    if (!txId.equals(Envelopes.txId(parsed.signatureHeader().getNonce().toByteArray(), creator))) {
      return new Outcome(TxValidationCode.BAD_PROPOSAL_TXID, txId);
    }
    if (inBlock.contains(txId) || seenTxId.test(txId)) {
      return new Outcome(TxValidationCode.DUPLICATE_TXID, txId);
    }
    EndorsedTransaction tx;
    try {
      tx = EndorsedTransaction.parse(env);
    } catch (InvalidProtocolBufferException e) {
      return new Outcome(TxValidationCode.INVALID_ENDORSER_TRANSACTION, txId);
    }
    ByteString expectedHash = ProposalHashes.of(parsed.payload().getHeader().getChannelHeader(),
        parsed.payload().getHeader().getSignatureHeader(), tx.chaincodeProposalPayload());
    if (!expectedHash.equals(tx.proposalResponsePayload().getProposalHash())) {
      return new Outcome(TxValidationCode.BAD_RESPONSE_PAYLOAD, txId);
    }
    Optional<EndorsementPolicy> policy;
    if (ChaincodeDefinition.LSCC.equals(tx.chaincodeName())) {
      if (!validDeployWrites(tx.rwSet())) {
        return new Outcome(TxValidationCode.ILLEGAL_WRITESET, txId);
      }
      policy = Optional.of(deployPolicy);
    } else {
      Optional<ChaincodeDefinition> definition = state.get(ChaincodeDefinition.LSCC, tx.chaincodeName())
          .map(v -> ChaincodeDefinition.fromJson(v.value()));
      if (definition.isEmpty()) {
        return new Outcome(TxValidationCode.INVALID_CHAINCODE, txId);
      }
      if (!tx.rwSet().writes().keySet().stream().allMatch(tx.chaincodeName()::equals)) {
        return new Outcome(TxValidationCode.ILLEGAL_WRITESET, txId);
      }
      policy = Optional.of(EndorsementPolicy.parse(definition.get().policy()));
    }
    if (!policy.get().isSatisfiedBy(validEndorsers(tx))) {
      return new Outcome(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId);
    }
    if (!readsCurrent(tx.rwSet(), state, updates)) {
      return new Outcome(TxValidationCode.MVCC_READ_CONFLICT, txId);
    }
    Version version = new Version(blockNum, txNum);
    for (var ns : tx.rwSet().writes().entrySet()) {
      for (var w : ns.getValue().entrySet()) {
        if (w.getValue().isPresent()) {
          updates.put(ns.getKey(), w.getKey(), w.getValue().get(), version);
        } else {
          updates.delete(ns.getKey(), w.getKey());
        }
      }
    }
    return new Outcome(TxValidationCode.VALID, txId);
  }

  /** The endorsers whose identity is valid in the channel and whose signature covers the response payload; each identity once. */
  List<EndorsementPolicy.Endorser> validEndorsers(EndorsedTransaction tx) {
    List<EndorsementPolicy.Endorser> endorsers = new ArrayList<>();
    Set<ByteString> seen = new HashSet<>();
    byte[] payload = tx.proposalResponsePayloadBytes().toByteArray();
    for (Endorsement e : tx.endorsements()) {
      if (!seen.add(e.getEndorser())) {
        continue;
      }
      try {
        VerifiedCreator endorser = msps.validateCreator(e.getEndorser());
        byte[] signed = concat(payload, e.getEndorser().toByteArray());
        if (Identities.verify(endorser.certificate(), signed, e.getSignature().toByteArray())) {
          endorsers.add(new EndorsementPolicy.Endorser(endorser.mspId(), endorser.role().orElse("member")));
        }
      } catch (IdentityException ex) {
        // an endorsement by an unknown or invalid identity does not count
      }
    }
    return endorsers;
  }

  private boolean validDeployWrites(ReadWriteSet rw) {
    var lscc = rw.writes().get(ChaincodeDefinition.LSCC);
    if (lscc == null || lscc.size() != 1) {
      return false;
    }
    Map.Entry<String, Optional<byte[]>> entry = lscc.firstEntry();
    if (entry.getValue().isEmpty()) {
      return false;
    }
    ChaincodeDefinition definition;
    try {
      definition = ChaincodeDefinition.fromJson(entry.getValue().get());
      EndorsementPolicy.parse(definition.policy());
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (!definition.name().equals(entry.getKey()) || chaincodes.byType(definition.type()).isEmpty()) {
      return false;
    }
    return rw.writes().keySet().stream().allMatch(ns -> ns.equals(ChaincodeDefinition.LSCC) || ns.equals(definition.name()));
  }

  private static boolean readsCurrent(ReadWriteSet rw, WorldState state, UpdateBatch updates) {
    for (var ns : rw.reads().entrySet()) {
      for (var read : ns.getValue().entrySet()) {
        if (updates.touches(ns.getKey(), read.getKey())) {
          return false;
        }
        Optional<Version> committed = state.get(ns.getKey(), read.getKey()).map(VersionedValue::version);
        if (!committed.equals(read.getValue())) {
          return false;
        }
      }
    }
    return true;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
