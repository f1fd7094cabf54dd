package io.raftswarm.orderer.participation;

import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Fabric's {@code ValidateJoinBlock}: the body of a join must be an application channel's config
 * block with metadata and a data hash that matches its data.
 */
public final class JoinBlocks {
  /** A config block that passed the checks, with the channel configuration read from it. */
  public record JoinBlock(Block block, ChannelConfig config) {
    public String channelId() {
      return config.channelId();
    }
  }

  private JoinBlocks() {}

  public static JoinBlock validate(Block block) throws ParticipationException {
    if (!block.hasHeader() || block.getData().getDataCount() == 0) {
      throw invalid("block has no header or no data");
    }
    boolean config;
    try {
      config = Blocks.isConfigBlock(block);
    } catch (RuntimeException e) {
      config = false;
    }
    if (!config) {
      throw invalid("block is not a config block");
    }
    if (!block.hasMetadata() || block.getMetadata().getMetadataCount() == 0) {
      throw invalid("invalid block: does not have metadata");
    }
    if (!BlockHashing.dataHashMatches(block)) {
      throw invalid("invalid block: Header.DataHash is different from Hash(block.Data)");
    }
    ChannelConfig channel;
    try {
      channel = ChannelConfigs.fromGenesis(block);
    } catch (RuntimeException e) {
      throw invalid(e.getMessage());
    }
    validateChannelId(channel.channelId());
    return new JoinBlock(block, channel);
  }

  /** The check Fabric applies to channel names in URLs and config blocks. */
  public static void validateChannelId(String channelId) throws ParticipationException {
    if (!ChannelConfig.isValidChannelId(channelId)) {
      throw new ParticipationException(ParticipationException.Failure.BAD_REQUEST, "invalid channel ID: '" + channelId
          + "' contains illegal characters or is too long (lower case letters, digits, '.' and '-', starting with a letter, at most 249)");
    }
  }

  private static ParticipationException invalid(String why) {
    return new ParticipationException(ParticipationException.Failure.BAD_REQUEST, "invalid join block: " + why);
  }
}
