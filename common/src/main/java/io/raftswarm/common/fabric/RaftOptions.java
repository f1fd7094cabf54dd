package io.raftswarm.common.fabric;

import java.time.Duration;
import java.util.Objects;

/**
 * etcdraft's {@code Options} of a channel. Time in Raft is counted in ticks: an election starts
 * after {@code electionTick} ticks without a leader, a leader heartbeats every
 * {@code heartbeatTick} ticks. etcd raft randomizes the election timeout in
 * [electionTick, 2*electionTick) ticks; {@link #electionTimeoutMin()} / {@link #electionTimeoutMax()}
 * give that range as durations for Ratis.
 *
 * @param maxInflightBlocks how many blocks a leader sends ahead of a follower's acknowledgement
 * @param snapshotIntervalSize bytes of blocks after which a snapshot is taken
 */
public record RaftOptions(
    Duration tickInterval, int electionTick, int heartbeatTick, int maxInflightBlocks, long snapshotIntervalSize) {

  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(100);
  public static final int DEFAULT_ELECTION_TICK = 10;
  public static final int DEFAULT_HEARTBEAT_TICK = 1;
  public static final int DEFAULT_MAX_INFLIGHT_BLOCKS = 5;
  public static final long DEFAULT_SNAPSHOT_INTERVAL_SIZE = 16L * 1024 * 1024;

  public RaftOptions {
    Objects.requireNonNull(tickInterval, "tickInterval");
    if (tickInterval.isNegative() || tickInterval.isZero()) {
      throw new IllegalArgumentException("Raft tick interval must be positive, was " + GoDurations.format(tickInterval));
    }
    if (heartbeatTick < 1) {
      throw new IllegalArgumentException("Raft heartbeat_tick must be >= 1, was " + heartbeatTick);
    }
    if (electionTick <= heartbeatTick) {
      throw new IllegalArgumentException("Raft election_tick (" + electionTick + ") must be greater than heartbeat_tick ("
          + heartbeatTick + "), or followers start elections between heartbeats");
    }
    if (maxInflightBlocks < 1) {
      throw new IllegalArgumentException("Raft max_inflight_blocks must be >= 1, was " + maxInflightBlocks);
    }
    if (snapshotIntervalSize < 1) {
      throw new IllegalArgumentException("Raft snapshot_interval_size must be >= 1 byte, was " + snapshotIntervalSize);
    }
  }

  /** 100 ms ticks, election 10 ticks, heartbeat 1 tick, 5 blocks in flight, snapshot every 16 MiB. */
  public static RaftOptions defaults() {
    return new RaftOptions(DEFAULT_TICK_INTERVAL, DEFAULT_ELECTION_TICK, DEFAULT_HEARTBEAT_TICK,
        DEFAULT_MAX_INFLIGHT_BLOCKS, DEFAULT_SNAPSHOT_INTERVAL_SIZE);
  }

  /** Same options with another tick interval. */
  public RaftOptions withTickInterval(Duration tick) {
    return new RaftOptions(tick, electionTick, heartbeatTick, maxInflightBlocks, snapshotIntervalSize);
  }

  public Duration electionTimeoutMin() {
    return tickInterval.multipliedBy(electionTick);
  }

  public Duration electionTimeoutMax() {
    return tickInterval.multipliedBy(2L * electionTick);
  }

  public Duration heartbeatInterval() {
    return tickInterval.multipliedBy(heartbeatTick);
  }
}
