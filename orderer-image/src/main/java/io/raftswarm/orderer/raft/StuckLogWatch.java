package io.raftswarm.orderer.raft;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Notices a follower whose Raft log has stopped taking entries although its leader still reaches
 * it and has committed entries the log lacks. Ratis 3.3.0 wedged a follower this way twice on the
 * lab, after partitions: every append failed with "SegmentedRaftLog: Already running a method by
 * Thread[…]", naming a pool thread that had long left the guarded method (or no longer existed),
 * so the follower took no entry again until its process restarted (docs/BENCHMARKS.md, "A wedged
 * orderer after a partition"). The cause inside Ratis is not found; a new Raft node (a new log
 * object) clears it, so the chain restarts the node when this watch says so.
 *
 * <p>Not stuck: a follower cut off from its leader (it hears nothing), one pulling blocks after the
 * leader purged its entries (the caller leaves those out), and one whose log moves at all. Nor one
 * that campaigned during the grace: a follower cut off runs pre-votes and, each rejected, is a
 * follower again for a moment with a fresh RPC clock, which looked like "in touch" to a once-a-
 * second check; right after the heal the watch then restarted a node that was only about to pull
 * blocks (2026-12-06, lagging-follower drill), so only time spent in one uninterrupted follower
 * term counts.
 */
public final class StuckLogWatch {
  private final LongSupplier nanoClock;
  private long lastIndex = Long.MIN_VALUE;
  private long sinceNanos;

  public StuckLogWatch(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * One observation; true when the node should be restarted (then the watch starts over).
   *
   * @param following a follower of a known leader that heard from it within an election timeout and is not pulling blocks
   * @param inRole how long the node has been a follower without a break (Ratis' role elapsed time); the log counts as
   *     standing still only since then
   * @param logLastIndex the index of the last entry in this node's Raft log
   * @param leaderCommit the highest commit index this node has heard of
   * @param grace how long the log may stand still behind that commit before it counts as stuck
   */
  public synchronized boolean stuck(boolean following, Duration inRole, long logLastIndex, long leaderCommit,
      Duration grace) {
    long now = nanoClock.getAsLong();
    if (!following || leaderCommit <= logLastIndex || logLastIndex != lastIndex) {
      lastIndex = logLastIndex;
      sinceNanos = now;
      return false;
    }
    sinceNanos = Math.max(sinceNanos, now - inRole.toNanos());
    if (now - sinceNanos < grace.toNanos()) {
      return false;
    }
    lastIndex = Long.MIN_VALUE;
    sinceNanos = now;
    return true;
  }
}
