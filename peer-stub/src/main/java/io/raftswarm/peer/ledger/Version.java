package io.raftswarm.peer.ledger;

/** A key's version as Fabric defines it: the block and the transaction (index in block) that last wrote it. */
public record Version(long blockNum, long txNum) {
  public Version {
    if (blockNum < 0 || txNum < 0) {
      throw new IllegalArgumentException("version numbers must be >= 0, got " + blockNum + ":" + txNum);
    }
  }

  @Override
  public String toString() {
    return blockNum + ":" + txNum;
  }
}
