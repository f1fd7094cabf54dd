package io.raftswarm.orderer.raft;

import java.time.Duration;

/**
 * When a follower takes its leader for cut off without waiting out an election timeout
 * ({@link RaftSettings#leaderSilence}): the leader's host acknowledged nothing the follower sent
 * for {@code unacknowledged} (LeaderWatch), and the leader also sent nothing in Raft for
 * {@link #of} — longer for a leader that is not preferred, whose heartbeats come half as often.
 */
public record LeaderSilence(Duration unacknowledged, Duration ofPreferredLeader, Duration ofOtherLeader) {
  /** The Raft silence that makes a leader of that kind cut off. */
  public Duration of(boolean leaderPreferred) {
    return leaderPreferred ? ofPreferredLeader : ofOtherLeader;
  }

  /** How much longer a leader silent for {@code silentMillis} must stay silent; 0 when it is cut off already. */
  public long remainingMillis(boolean leaderPreferred, long silentMillis) {
    return Math.max(0, of(leaderPreferred).toMillis() - silentMillis);
  }
}
