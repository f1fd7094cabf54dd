package io.raftswarm.orderer.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLogIOException;
import org.apache.ratis.util.Timestamp;

/**
 * Ratis' gRPC log appender with two changes after etcd raft's leader. It tells a follower that
 * already holds every entry about a new commit index at once (etcd's leader broadcasts an append
 * after every commit advance).
 * Ratis 3.3 carries the commit index only on the next entries or the next heartbeat (half the
 * minimum election timeout), so with one block at a time each follower wrote a block a
 * heartbeat after the leader: 150–400 ms on the lab, which its Deliver clients (peers) waited too.
 *
 * <p>The extra message is Ratis' own heartbeat (no entries, the leader's commit index), sent only
 * when there is nothing else to send, only once per commit index, and only to a follower that
 * answered within the minimum election timeout: one cut off would only pile up timed-out
 * requests, each an error that makes Ratis' appender sleep before its next send. Under load the
 * next entries carry the commit as before.
 *
 * <p>And it keeps at most one request with entries outstanding to a follower that stopped
 * answering ({@link #probing()}), as etcd's leader does in its probe state.
 *
 * <p>Ratis' appender sleeps after every error before its next send (the retry policy in
 * {@link RaftSettings}), and an INCONSISTENCY reply counts as one. A follower that held entries
 * of a deposed leader is walked back one entry per reply, so after a partition cut the old
 * leader's host off, each of its uncommitted blocks cost the heal a sleep
 * ({@link #forgiveErrorsOfAnAnsweringFollower()}).
 */
public final class PromptCommitAppender extends GrpcLogAppender {
  /** The highest commit index sent to this follower; only the appender's own thread builds requests. */
  private long commitSent = -1;
  /** When Ratis' appender last asked this one for a request (built or not); its own thread only. */
  private Timestamp lastRequest = Timestamp.currentTime();

  PromptCommitAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
    super(server, leaderState, follower);
  }

  @Override
  public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat) throws RaftLogIOException {
    forgiveErrorsOfAnAnsweringFollower();
    lastRequest = Timestamp.currentTime();
    if (!heartbeat && probing()) {
      // Heartbeats only, when due; nothing else until the follower answers (the appender then waits
      // a heartbeat interval between tries: Ratis treats a follower silent this long as slow).
      return getHeartbeatWaitTimeMs() <= 0 ? track(super.newAppendEntriesRequest(callId, true)) : null;
    }
    AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
    if (request == null && !heartbeat && onlyCommitBehind()) {
      request = super.newAppendEntriesRequest(callId, true);
    }
    return track(request);
  }

  private AppendEntriesRequestProto track(AppendEntriesRequestProto request) {
    if (request != null) {
      commitSent = Math.max(commitSent, request.getLeaderCommit());
    }
    return request;
  }

  /**
   * etcd raft's probe state: the follower has not answered for Ratis' slowness timeout (set to the
   * minimum election timeout) and one request with entries is still out. Ratis' appender would
   * send every new entry in a request of its own, each queued behind TCP's retransmissions to a
   * follower cut off; after a heal the follower worked through them one by one, a fsync each
   * (~40 blocks took 2 s on the lab). Holding back until it answers sends them in one request.
   */
  private boolean probing() {
    return hasPendingDataRequests()
        && getFollower().getLastRpcResponseTime().elapsedTime().compareTo(getServer().properties().rpcSlownessTimeout()) > 0;
  }

  /**
   * Clears the follower's error count when it answered since the previous request: its errors
   * were answers (INCONSISTENCY), not silence, and the appender's error sleep then only slows
   * the walk back to the entry it holds. A follower that does not answer keeps its count and the
   * appender keeps sleeping between tries.
   */
  private void forgiveErrorsOfAnAnsweringFollower() {
    if (answeredSince(getFollower().getLastRpcResponseTime(), lastRequest)) {
      getFollower().getErrorState().updateErrorCount(false);
    }
  }

  /** True when the follower's last answer came after the previous request was built. */
  static boolean answeredSince(Timestamp lastAnswer, Timestamp previousRequest) {
    return lastAnswer.compareTo(previousRequest) > 0;
  }

  /** The follower, answering, holds every entry the leader has but has not been told the latest commit index. */
  private boolean onlyCommitBehind() {
    FollowerInfo follower = getFollower();
    return onlyCommitBehind(follower.getMatchIndex(), getRaftLog().getNextIndex(),
        getRaftLog().getLastCommittedIndex(), Math.max(commitSent, follower.getCommitIndex()),
        follower.getLastRpcResponseTime().elapsedTime().compareTo(getServer().properties().minRpcTimeout()) < 0);
  }

  /**
   * Whether a commit-only heartbeat is due: the follower acknowledged every entry (its match
   * index, not merely the entries sent: with entries still on their way, their own requests carry
   * the commit), the commit index moved past what it was told, and it answers.
   */
  static boolean onlyCommitBehind(long matchIndex, long leaderNextIndex, long committed, long commitTold,
      boolean answeredRecently) {
    return matchIndex + 1 >= leaderNextIndex && committed > commitTold && answeredRecently;
  }

  /** Ratis' gRPC transport with this appender; Ratis instantiates it by class name ({@code raft.rpc.type}). */
  public static final class Rpc implements RpcType {
    @Override
    public String name() {
      return Rpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
      return new Factory(parameters);
    }
  }

  /** {@link GrpcFactory} creating {@link PromptCommitAppender}s. */
  static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      return new PromptCommitAppender(server, state, follower);
    }
  }
}
