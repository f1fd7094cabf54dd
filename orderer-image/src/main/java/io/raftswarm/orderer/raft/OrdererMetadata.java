package io.raftswarm.orderer.raft;

import io.raftswarm.common.fabric.Blocks;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;

/**
 * The etcdraft {@code BlockMetadata} (consenter ids, Raft index) that every block carries, as
 * Fabric's etcdraft chain writes it. The Raft index makes applying idempotent: an entry at or
 * below the last block's index is already in the ledger.
 */
final class OrdererMetadata {
  private OrdererMetadata() {}

  /** The block with its LAST_CONFIG (the newest config block's number) and its Raft index. */
  static Block withRaftIndex(Block block, List<Long> consenterIds, long raftIndex, long lastConfig) {
    BlockMetadata raft = BlockMetadata.newBuilder()
        .addAllConsenterIds(consenterIds)
        .setNextConsenterId(consenterIds.size() + 1L)
        .setRaftIndex(raftIndex)
        .build();
    return Blocks.withRaftMetadata(Blocks.withLastConfig(block, lastConfig), raft);
  }

  /** The Raft index stored in {@code block}, 0 for the genesis block or a block without one. */
  static long raftIndex(Block block) {
    if (block == null || block.getHeader().getNumber() == 0) {
      return 0;
    }
    try {
      return Blocks.raftMetadata(block).map(BlockMetadata::getRaftIndex).orElse(0L);
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }
}
