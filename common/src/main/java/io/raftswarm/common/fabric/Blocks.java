package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.identity.VerifiedCreator;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Building Fabric blocks and reading/writing their metadata slots the way Fabric's orderer does
 * (protoutil and orderer/common/multichannel/blockwriter.go).
 *
 * <p>Slots: SIGNATURES holds a {@code common.Metadata} whose value is an
 * {@code OrdererBlockMetadata} and whose signatures are the orderer's block signatures;
 * LAST_CONFIG holds {@code Metadata{value = LastConfig}}; TRANSACTIONS_FILTER one
 * {@code peer.TxValidationCode} byte per transaction (see {@link TransactionsFilter}); ORDERER
 * holds {@code Metadata{value = etcdraft.BlockMetadata}} (the Raft index, as Fabric 1.4 stored
 * it); COMMIT_HASH is left to peers. Blocks are immutable protobufs: every {@code with*} method
 * returns a new block. Stateless and thread-safe.
 */
public final class Blocks {
  public static final BlockMetadataIndex SIGNATURES = BlockMetadataIndex.SIGNATURES;
  public static final BlockMetadataIndex LAST_CONFIG = BlockMetadataIndex.LAST_CONFIG;
  public static final BlockMetadataIndex TRANSACTIONS_FILTER = BlockMetadataIndex.TRANSACTIONS_FILTER;
  public static final BlockMetadataIndex ORDERER = BlockMetadataIndex.ORDERER;
  public static final BlockMetadataIndex COMMIT_HASH = BlockMetadataIndex.COMMIT_HASH;
  /** Number of metadata slots a block carries (protoutil.NewBlock). */
  public static final int METADATA_SLOTS = 5;

  private Blocks() {}

  /**
   * A block with the given envelopes, its data hash computed and all five metadata slots present
   * and empty. Sign it last ({@link #withSignature}), after the other metadata is set.
   *
   * @param previousHash header hash of the previous block; empty for block 0
   */
  public static Block build(long number, byte[] previousHash, List<ByteString> envelopes) {
    BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
    BlockHeader header = BlockHeader.newBuilder()
        .setNumber(number)
        .setPreviousHash(ByteString.copyFrom(previousHash == null ? new byte[0] : previousHash))
        .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data)))
        .build();
    BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
    for (int i = 0; i < METADATA_SLOTS; i++) {
      metadata.addMetadata(ByteString.EMPTY);
    }
    return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
  }

  /** The raw bytes of a slot; empty when the block has fewer slots (older blocks have 4). */
  public static ByteString slot(Block block, BlockMetadataIndex index) {
    int i = index.getNumber();
    return i < block.getMetadata().getMetadataCount() ? block.getMetadata().getMetadata(i) : ByteString.EMPTY;
  }

  /** A copy of the block with the slot's raw bytes replaced (missing slots are added empty). */
  public static Block withSlot(Block block, BlockMetadataIndex index, ByteString bytes) {
    BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
    while (metadata.getMetadataCount() < Math.max(METADATA_SLOTS, index.getNumber() + 1)) {
      metadata.addMetadata(ByteString.EMPTY);
    }
    metadata.setMetadata(index.getNumber(), Objects.requireNonNull(bytes, "bytes"));
    return block.toBuilder().setMetadata(metadata).build();
  }

  /**
   * The {@code common.Metadata} in a slot; an empty Metadata when the slot is empty.
   *
   * @throws IllegalArgumentException when the slot holds something else
   */
  public static Metadata metadata(Block block, BlockMetadataIndex index) {
    try {
      return Metadata.parseFrom(slot(block, index));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("block " + block.getHeader().getNumber() + ": metadata slot " + index
          + " is not a common.Metadata: " + e.getMessage(), e);
    }
  }

  /** A copy with the slot set to the given {@code common.Metadata}. */
  public static Block withMetadata(Block block, BlockMetadataIndex index, Metadata metadata) {
    return withSlot(block, index, metadata.toByteString());
  }

  /** A copy with LAST_CONFIG = {@code Metadata{value = LastConfig{index}}}: the number of the newest config block. */
  public static Block withLastConfig(Block block, long lastConfigBlock) {
    return withMetadata(block, LAST_CONFIG, Metadata.newBuilder()
        .setValue(LastConfig.newBuilder().setIndex(lastConfigBlock).build().toByteString())
        .build());
  }

  /**
   * The number of the newest config block as of this block: from LAST_CONFIG, or (Fabric 2.x
   * blocks that leave it empty) from the OrdererBlockMetadata in SIGNATURES.
   */
  public static OptionalLong lastConfig(Block block) {
    try {
      Metadata lastConfig = metadata(block, LAST_CONFIG);
      if (!lastConfig.getValue().isEmpty()) {
        return OptionalLong.of(LastConfig.parseFrom(lastConfig.getValue()).getIndex());
      }
      Metadata signatures = metadata(block, SIGNATURES);
      if (!signatures.getValue().isEmpty()) {
        OrdererBlockMetadata ordererMetadata = OrdererBlockMetadata.parseFrom(signatures.getValue());
        if (ordererMetadata.hasLastConfig()) {
          return OptionalLong.of(ordererMetadata.getLastConfig().getIndex());
        }
      }
      return OptionalLong.empty();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("block " + block.getHeader().getNumber() + ": malformed last-config metadata: "
          + e.getMessage(), e);
    }
  }

  /** A copy with ORDERER = {@code Metadata{value = etcdraft.BlockMetadata}}: the Raft index (and consenter ids) of the block. */
  public static Block withRaftMetadata(Block block, org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata raft) {
    return withMetadata(block, ORDERER, Metadata.newBuilder().setValue(raft.toByteString()).build());
  }

  /**
   * The etcdraft {@code BlockMetadata} of the block: from the ORDERER slot, or from the consenter
   * metadata inside SIGNATURES' OrdererBlockMetadata (where Fabric 2.x puts it).
   */
  public static Optional<org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata> raftMetadata(Block block) {
    try {
      Metadata orderer = metadata(block, ORDERER);
      ByteString value = orderer.getValue();
      if (value.isEmpty()) {
        Metadata signatures = metadata(block, SIGNATURES);
        if (!signatures.getValue().isEmpty()) {
          ByteString consenterMetadata = OrdererBlockMetadata.parseFrom(signatures.getValue()).getConsenterMetadata();
          value = Metadata.parseFrom(consenterMetadata).getValue();
        }
      }
      return value.isEmpty()
          ? Optional.empty()
          : Optional.of(org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata.parseFrom(value));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("block " + block.getHeader().getNumber() + ": malformed Raft metadata: "
          + e.getMessage(), e);
    }
  }

  /**
   * Adds an orderer block signature, as Fabric's BlockWriter does: a
   * {@code MetadataSignature{signature_header, signature}} in SIGNATURES over
   * {@code metadata.value || signature_header || BlockHeaderBytes}. When SIGNATURES has no value
   * yet it becomes an {@code OrdererBlockMetadata{last_config, consenter_metadata}} taken from
   * the LAST_CONFIG and ORDERER slots, so set those first. Existing signatures are kept.
   */
  public static Block withSignature(Block block, SigningIdentity signer) {
    Metadata existing = metadata(block, SIGNATURES);
    ByteString value = existing.getValue().isEmpty() ? ordererBlockMetadata(block).toByteString() : existing.getValue();
    ByteString signatureHeader = SignatureHeader.newBuilder()
        .setCreator(signer.serialize())
        .setNonce(ByteString.copyFrom(Envelopes.nonce()))
        .build()
        .toByteString();
    byte[] signature = signer.sign(signedBytes(value, signatureHeader, block.getHeader()));
    Metadata signed = existing.toBuilder()
        .setValue(value)
        .addSignatures(MetadataSignature.newBuilder()
            .setSignatureHeader(signatureHeader)
            .setSignature(ByteString.copyFrom(signature)))
        .build();
    return withMetadata(block, SIGNATURES, signed);
  }

  /**
   * Checks the block signatures in SIGNATURES: the first signature whose signer is a valid
   * member of a known MSP and whose signature verifies over
   * {@code metadata.value || signature_header || BlockHeaderBytes} gives the result.
   *
   * @return the signer, or empty when the block has no valid signature (unsigned, tampered
   *     header or metadata, unknown or invalid signer)
   */
  public static Optional<VerifiedCreator> verifySignature(Block block, MspRegistry msps) {
    Metadata signatures;
    try {
      signatures = metadata(block, SIGNATURES);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (MetadataSignature signature : signatures.getSignaturesList()) {
      try {
        SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        VerifiedCreator signer = msps.validateCreator(header.getCreator());
        byte[] message = signedBytes(signatures.getValue(), signature.getSignatureHeader(), block.getHeader());
        if (Identities.verify(signer.certificate(), message, signature.getSignature().toByteArray())) {
          return Optional.of(signer);
        }
      } catch (InvalidProtocolBufferException | IdentityException | IllegalArgumentException e) {
        // this signature does not count; another one may
      }
    }
    return Optional.empty();
  }

  /**
   * {@link #verifySignature} restricted to the channel's orderer orgs, as Fabric's
   * /Channel/Orderer/BlockValidation policy (ANY Writers of the orderer orgs) requires.
   */
  public static Optional<VerifiedCreator> verifyOrdererSignature(Block block, ChannelConfig channel) {
    List<OrgMsp> ordererOrgs = channel.ordererOrgs();
    return verifySignature(block, new MspRegistry(ordererOrgs));
  }

  /** True when the block holds exactly one envelope of header type CONFIG. */
  public static boolean isConfigBlock(Block block) {
    if (block.getData().getDataCount() != 1) {
      return false;
    }
    try {
      ParsedEnvelope envelope = Envelopes.parse(Envelope.parseFrom(block.getData().getData(0)));
      return envelope.channelHeader().getType() == HeaderType.CONFIG.getNumber();
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private static OrdererBlockMetadata ordererBlockMetadata(Block block) {
    OrdererBlockMetadata.Builder value = OrdererBlockMetadata.newBuilder()
        .setLastConfig(LastConfig.newBuilder().setIndex(lastConfigFromSlot(block)));
    ByteString raft = metadata(block, ORDERER).getValue();
    if (!raft.isEmpty()) {
      value.setConsenterMetadata(Metadata.newBuilder().setValue(raft).build().toByteString());
    }
    return value.build();
  }

  private static long lastConfigFromSlot(Block block) {
    try {
      ByteString value = metadata(block, LAST_CONFIG).getValue();
      return value.isEmpty() ? 0 : LastConfig.parseFrom(value).getIndex();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("block " + block.getHeader().getNumber() + ": LAST_CONFIG is not a LastConfig", e);
    }
  }

  static byte[] signedBytes(ByteString value, ByteString signatureHeader, BlockHeader header) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(value.toByteArray());
    out.writeBytes(signatureHeader.toByteArray());
    out.writeBytes(BlockHashing.headerBytes(header));
    return out.toByteArray();
  }
}
