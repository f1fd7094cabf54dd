package io.raftswarm.orderer.ledger;

import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfigs;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;

/**
 * The channel config in force at the end of a ledger: the one in the block that the last block's
 * LAST_CONFIG metadata names (the genesis block until a config update was ordered).
 *
 * @param blockNumber the number of that config block
 */
public record LedgerConfig(long blockNumber, Config config) {
  public static LedgerConfig of(BlockStore ledger) {
    Block last = ledger.lastBlock();
    if (last == null) {
      throw new IllegalStateException("the ledger is empty: it has no config block yet");
    }
    long number = last.getHeader().getNumber() == 0 ? 0 : Blocks.lastConfig(last).orElse(0);
    Block block = number == last.getHeader().getNumber() ? last : ledger.block(number);
    return new LedgerConfig(number, ChannelConfigs.config(block));
  }
}
