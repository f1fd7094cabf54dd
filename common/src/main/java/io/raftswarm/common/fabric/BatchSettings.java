package io.raftswarm.common.fabric;

import java.time.Duration;
import java.util.Objects;

/**
 * When the orderer cuts a block (Fabric's BatchSize and BatchTimeout): after
 * {@code batchTimeout} since the first pending transaction, at {@code maxMessageCount}
 * transactions, or when {@code preferredMaxBytes} would be exceeded; a single transaction larger
 * than {@code absoluteMaxBytes} is rejected.
 */
public record BatchSettings(Duration batchTimeout, int maxMessageCount, int absoluteMaxBytes, int preferredMaxBytes) {
  private static final int MIB = 1024 * 1024;

  public BatchSettings {
    Objects.requireNonNull(batchTimeout, "batchTimeout");
    if (batchTimeout.isNegative() || batchTimeout.isZero()) {
      throw new IllegalArgumentException("BatchTimeout must be positive, was " + GoDurations.format(batchTimeout));
    }
    if (maxMessageCount < 1) {
      throw new IllegalArgumentException("BatchSize.MaxMessageCount must be >= 1, was " + maxMessageCount);
    }
    if (absoluteMaxBytes < 1) {
      throw new IllegalArgumentException("BatchSize.AbsoluteMaxBytes must be >= 1, was " + absoluteMaxBytes);
    }
    if (preferredMaxBytes < 1 || preferredMaxBytes > absoluteMaxBytes) {
      throw new IllegalArgumentException("BatchSize.PreferredMaxBytes (" + preferredMaxBytes
          + ") must be between 1 and AbsoluteMaxBytes (" + absoluteMaxBytes + ")");
    }
  }

  /** raftswarm's defaults: 2 s, 500 transactions, 10 MiB absolute, 2 MiB preferred. */
  public static BatchSettings defaults() {
    return new BatchSettings(Duration.ofSeconds(2), 500, 10 * MIB, 2 * MIB);
  }

  /** The values of Fabric's sample configtx.yaml: 2 s, 10 transactions, 99 MB absolute, 512 KB preferred. */
  public static BatchSettings fabricSample() {
    return new BatchSettings(Duration.ofSeconds(2), 10, 99 * MIB, 512 * 1024);
  }
}
