package io.raftswarm.peer.channel;

import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/** The channels this peer has joined. Thread-safe. */
public interface Channels {

  Optional<ChannelLedger> ledger(String channelId);

  /** Channel ids in name order. */
  List<String> channelIds();

  /**
   * Joins the channel whose genesis block this is, durably, and starts pulling its blocks.
   * Joining again with the same genesis block is a no-op.
   *
   * @return true when newly joined, false when already joined with this block
   * @throws IllegalArgumentException when the block is no genesis block, or the channel is
   *     joined with a different genesis block
   */
  boolean join(Block genesis);
}
