package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Channel genesis blocks, written the way configtxgen's {@code -outputBlock} writes them
 * (internal/configtxgen/genesis) and read back from ours or Fabric's.
 */
public final class ChannelConfigs {
  /** configtxgen's message version for the genesis CONFIG header. */
  private static final int GENESIS_MSG_VERSION = 1;

  private ChannelConfigs() {}

  /** The genesis block of the channel, timestamped now. */
  public static Block genesisBlock(ChannelConfig config) {
    return genesisBlock(config, Clock.systemUTC());
  }

  /**
   * Block 0: one unsigned CONFIG envelope whose payload is a {@code ConfigEnvelope{Config{
   * sequence 0, channel_group}}}, header hashes as Fabric, LAST_CONFIG = 0 and SIGNATURES'
   * value = {@code OrdererBlockMetadata{last_config 0}} (no signatures, like configtxgen).
   */
  public static Block genesisBlock(ChannelConfig config, Clock clock) {
    byte[] nonce = Envelopes.nonce();
    ChannelHeader channelHeader = ChannelHeader.newBuilder()
        .setType(HeaderType.CONFIG.getNumber())
        .setVersion(GENESIS_MSG_VERSION)
        .setChannelId(config.channelId())
        .setEpoch(0)
        .setTxId(Envelopes.txId(nonce, ByteString.EMPTY))
        .setTimestamp(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()))
        .build();
    SignatureHeader signatureHeader = SignatureHeader.newBuilder().setNonce(ByteString.copyFrom(nonce)).build();
    ConfigEnvelope configEnvelope = ConfigEnvelope.newBuilder()
        .setConfig(Config.newBuilder().setSequence(0).setChannelGroup(ChannelGroupWriter.channelGroup(config)))
        .build();
    Payload payload = Payload.newBuilder()
        .setHeader(Header.newBuilder()
            .setChannelHeader(channelHeader.toByteString())
            .setSignatureHeader(signatureHeader.toByteString()))
        .setData(configEnvelope.toByteString())
        .build();
    Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
    Block block = Blocks.build(0, new byte[0], List.of(envelope.toByteString()));
    block = Blocks.withLastConfig(block, 0);
    return Blocks.withMetadata(block, Blocks.SIGNATURES, Metadata.newBuilder()
        .setValue(OrdererBlockMetadata.newBuilder().setLastConfig(LastConfig.newBuilder().setIndex(0)).build().toByteString())
        .build());
  }

  /**
   * Reads a channel's configuration from its genesis block (or any config block): ours, or a
   * configtxgen-made etcdraft block of Fabric 1.4 or 2.x.
   *
   * @throws IllegalArgumentException naming the block and config path when the block is not an
   *     etcdraft CONFIG block or a value is malformed
   */
  public static ChannelConfig fromGenesis(Block block) {
    return ChannelGroupReader.read(channelIdOf(block), config(block).getChannelGroup());
  }

  /** Reads a channel's configuration from a {@code common.Config} (e.g. one a config update produced). */
  public static ChannelConfig fromConfig(String channelId, Config config) {
    return ChannelGroupReader.read(channelId, config.getChannelGroup());
  }

  /** The config that a CONFIG envelope carries; empty for any other envelope (or one that does not parse). */
  public static java.util.Optional<Config> configInEnvelope(com.google.protobuf.ByteString envelopeBytes) {
    try {
      ParsedEnvelope envelope = Envelopes.parse(Envelope.parseFrom(envelopeBytes));
      if (envelope.channelHeader().getType() != HeaderType.CONFIG.getNumber()) {
        return java.util.Optional.empty();
      }
      ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(envelope.payload().getData());
      return configEnvelope.hasConfig() && configEnvelope.getConfig().hasChannelGroup()
          ? java.util.Optional.of(configEnvelope.getConfig()) : java.util.Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      return java.util.Optional.empty();
    }
  }

  /** The {@code common.Config} carried by a CONFIG block. */
  public static Config config(Block block) {
    long number = block.getHeader().getNumber();
    if (block.getData().getDataCount() != 1) {
      throw new IllegalArgumentException("block " + number + " has " + block.getData().getDataCount()
          + " envelopes; a config block has exactly one");
    }
    try {
      ParsedEnvelope envelope = Envelopes.parse(Envelope.parseFrom(block.getData().getData(0)));
      if (envelope.channelHeader().getType() != HeaderType.CONFIG.getNumber()) {
        throw new IllegalArgumentException("block " + number + " of channel " + envelope.channelId()
            + " is not a config block (header type " + envelope.type() + ")");
      }
      ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(envelope.payload().getData());
      if (!configEnvelope.hasConfig() || !configEnvelope.getConfig().hasChannelGroup()) {
        throw new IllegalArgumentException("block " + number + " of channel " + envelope.channelId()
            + " carries a ConfigEnvelope without a channel config");
      }
      return configEnvelope.getConfig();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("block " + number + " is not a Fabric config block: " + e.getMessage(), e);
    }
  }

  private static String channelIdOf(Block block) {
    try {
      return Envelopes.parse(Envelope.parseFrom(block.getData().getData(0))).channelId();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " is not a Fabric config block", e);
    }
  }
}
