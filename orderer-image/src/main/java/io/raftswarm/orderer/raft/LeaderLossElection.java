package io.raftswarm.orderer.raft;

import java.io.IOException;
import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Starts a Raft election on this node at once, without waiting out the election timeout, when
 * the leader is known to be dead (its process closed every connection: killed or crashed).
 *
 * <p>Ratis offers an immediate election only through the {@code StartLeaderElection} request that
 * a leader sends to the follower it hands leadership to. A dead leader sends nothing, so this
 * node delivers that request to itself, in the dead leader's name and with its own last entry:
 * Ratis then checks what it always checks (the named leader is the one this node follows in the
 * current term, this node is a follower, its log is not behind the entry) and becomes a
 * candidate, skipping the pre-vote. Starting an election never endangers safety in Raft (votes
 * decide, and only a candidate whose log is up to date can win); the cost of a wrong call is one
 * needless election, which is why callers act only on a leader whose connection broke.
 */
public final class LeaderLossElection {
  /** What came of asking. */
  public enum Outcome {
    /** This node is a candidate now. */
    STARTED,
    /**
     * This node no longer follows that leader in that term (a new term, another leader, or it is
     * not a follower), even if the same orderer leads again in a later term.
     */
    LEADER_ALREADY_CHANGED,
    /** This node has no entry of the leader's term yet, so Ratis cannot recognise the request; the timeout will do. */
    LOG_NOT_IN_TERM,
    /** Ratis refused (see its log). */
    REFUSED
  }

  private LeaderLossElection() {}

  /**
   * @param lostLeader the leader whose connection broke
   * @param term the Raft term in which it led when its connection broke: a campaign scheduled
   *     for later must not fire because the same orderer leads again in a newer term
   */
  public static Outcome start(RaftServer server, RaftGroupId group, RaftPeerId lostLeader, long term) throws IOException {
    RaftServer.Division division = server.getDivision(group);
    var info = division.getInfo();
    if (!info.isFollower() || !lostLeader.equals(info.getLeaderId()) || info.getCurrentTerm() != term) {
      return Outcome.LEADER_ALREADY_CHANGED;
    }
    TermIndex last = division.getRaftLog().getLastEntryTermIndex();
    if (last == null || last.getTerm() != info.getCurrentTerm()) {
      return Outcome.LOG_NOT_IN_TERM;
    }
    StartLeaderElectionRequestProto request = StartLeaderElectionRequestProto.newBuilder()
        .setServerRequest(ClientProtoUtils.toRaftRpcRequestProtoBuilder(
            RaftGroupMemberId.valueOf(lostLeader, group), server.getId()))
        .setLeaderLastEntry(last.toProto())
        .build();
    return server.startLeaderElection(request).getServerReply().getSuccess() ? Outcome.STARTED : Outcome.REFUSED;
  }
}
