package io.raftswarm.orderer.raft;

import java.util.HexFormat;

/**
 * A channel state read atomically on one orderer: its ledger height, the header hash of its last
 * block and the Raft position applied so far (every entry up to {@code appliedIndex} is reflected
 * in those blocks, and none after it). A lagging orderer that copies the blocks may resume Raft
 * at exactly {@code (appliedTerm, appliedIndex)}.
 */
public record ConsistentCut(long height, byte[] lastHash, long appliedTerm, long appliedIndex) {
  public ConsistentCut {
    if (height < 1) {
      throw new IllegalArgumentException("a cut needs at least the genesis block, height was " + height);
    }
    lastHash = lastHash.clone();
  }

  @Override
  public byte[] lastHash() {
    return lastHash.clone();
  }

  @Override
  public String toString() {
    return "ConsistentCut[height=" + height + ", lastHash=" + HexFormat.of().formatHex(lastHash)
        + ", applied=(t:" + appliedTerm + ", i:" + appliedIndex + ")]";
  }
}
