package io.raftswarm.orderer.raft;

import java.time.Duration;
import java.util.Set;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;

/**
 * etcd raft's CheckQuorum, on a clock: a leader that has not heard from a majority of the voting
 * consenters within {@link #window} steps down, so the clients of a leader cut off from the
 * majority are told instead of waiting for commits that cannot come.
 *
 * <p>Ratis 3.3.0 has the same check (same window, same majority), but its leader runs it only when
 * its event queue stayed empty for a whole election timeout; every answer of a follower on the
 * leader's side of a cut that acknowledges a new entry is an event, so under load a cut-off leader
 * kept leading until its in-flight limit stopped new blocks (4.8 s after the cut on the 3-host lab
 * with a 1.2 s timeout, docs/BENCHMARKS.md "Drills"). This class only decides; stepping down is
 * Ratis' own (a leadership transfer to nobody).
 */
public final class CheckQuorum {
  private CheckQuorum() {}

  /**
   * Twice the maximum election timeout. Stepping down decides nothing: followers that stopped
   * hearing from this leader elect another after their own timeout without waiting for it, and
   * pre-vote keeps them from doing so while they still hear it. It only tells this leader's
   * clients, so a window as short as the followers' timeout buys little and costs leaderships:
   * with the maximum alone (1.2 s on the lab) a leader whose followers were alive, busy with the
   * first large blocks on a saturated box and refusing another candidate's pre-votes, saw only two
   * of six answer in time, stepped down, and was elected again 1.4 s later, with 5,080
   * transactions refused meanwhile (docs/BENCHMARKS.md "Check-quorum's window").
   */
  public static Duration window(Duration electionTimeoutMax) {
    return electionTimeoutMax.multipliedBy(2);
  }

  /**
   * True when the leader described by {@code role} has led for at least {@code windowMillis} and
   * fewer than a majority of {@code voters} (itself included) answered within it.
   *
   * @param voters the ids of the voting members of the current configuration, this leader included
   */
  public static boolean lost(RoleInfoProto role, Set<String> voters, String self, long windowMillis) {
    if (!role.hasLeaderInfo() || role.getRoleElapsedTimeMs() < windowMillis || !voters.contains(self)) {
      return false;
    }
    return 1 + answered(role, voters, self, windowMillis) <= voters.size() / 2;
  }

  /** How many of the leader's voting followers answered within {@code windowMillis}. */
  public static long answered(RoleInfoProto role, Set<String> voters, String self, long windowMillis) {
    return role.getLeaderInfo().getFollowerInfoList().stream()
        .filter(f -> f.getLastRpcElapsedTimeMs() <= windowMillis)
        .map(f -> f.getId().getId().toStringUtf8())
        .filter(id -> voters.contains(id) && !self.equals(id))
        .count();
  }
}
