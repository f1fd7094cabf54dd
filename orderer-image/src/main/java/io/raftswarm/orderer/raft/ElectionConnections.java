package io.raftswarm.orderer.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node's Raft connections to the other consenters of a channel open, so that an
 * election does not first have to open them. Followers talk only to the leader until an
 * election; on the loaded lab the first vote round after a start opened a TLS connection to each
 * other consenter, the answers came ~1 s later, after the round had timed out, and a leadership
 * hand-off failed with them (the next leader 1.5–4.4 s after the stop instead of ~0.2 s;
 * docs/BENCHMARKS.md "Drills").
 *
 * <p>The probe is a pre-vote request sent through Ratis' own server RPC, so it opens the very
 * channels elections use. A pre-vote changes nothing on the receiver (Ratis keeps its term, vote
 * and election timer; it only answers whether it would vote), and while there is a leader every
 * follower rejects it anyway. Ratis' separate heartbeat channel, which a new leader needs before
 * it can replicate anything, is connected too ({@link HeartbeatChannels}); a peer counts as open
 * once both are.
 */
public final class ElectionConnections {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.consensus.etcdraft");
  /** Probed again this often: gRPC closes a channel's connection after 30 idle minutes. */
  static final Duration REFRESH = Duration.ofMinutes(5);

  private final String logSuffix;
  private final LongSupplier nanoClock;
  private final java.util.concurrent.atomic.AtomicLong callIds = new java.util.concurrent.atomic.AtomicLong(1L << 62);
  /** The peers that answered the last pre-vote probe. */
  private Set<RaftPeerId> open = Set.of();
  /** What {@link #keepOpen} last returned (those of {@link #open} whose heartbeat channel is connected too). */
  private Set<RaftPeerId> reported = Set.of();
  /** When all connections are open, the {@link #nanoClock} time to probe all of them again. */
  private long refreshAt;

  public ElectionConnections(String logSuffix, LongSupplier nanoClock) {
    this.logSuffix = logSuffix;
    this.nanoClock = nanoClock;
  }

  /**
   * Probes every other member of {@code division}'s configuration whose connection is not known
   * open, or all of them once {@link #REFRESH} passed. Does nothing while there is no leader
   * (votes are flowing then anyway). Blocks up to Ratis' request timeout per unreachable peer.
   *
   * @return the peers whose connections are open (they answered the last probe, and the heartbeat
   *     channel to them is connected)
   */
  public synchronized Set<RaftPeerId> keepOpen(RaftServer server, RaftServer.Division division) {
    if (division.getInfo().getLeaderId() == null) {
      return reported;
    }
    RaftPeerId self = division.getId();
    List<RaftPeerId> others = new ArrayList<>();
    for (RaftPeer p : division.getRaftConf().getCurrentPeers()) {
      if (!p.getId().equals(self)) {
        others.add(p.getId());
      }
    }
    boolean refresh = open.containsAll(others);
    if (others.isEmpty() || (refresh && nanoClock.getAsLong() - refreshAt < 0)) {
      return report(server, others, 0, 0);
    }
    // All open and due: probe all again; otherwise only those that have not answered yet.
    List<RaftPeerId> toProbe = refresh ? others : others.stream().filter(p -> !open.contains(p)).toList();
    Set<RaftPeerId> answered = new HashSet<>(refresh ? Set.of() : open);
    answered.retainAll(others);
    TermIndex last = division.getRaftLog().getLastEntryTermIndex();
    long start = nanoClock.getAsLong();
    for (RaftPeerId peer : toProbe) {
      try {
        server.getServerRpc().requestVote(preVote(division, self, peer, last));
        answered.add(peer);
      } catch (IOException | RuntimeException e) {
        LOG.debug("Pre-vote probe of {} failed: {} {}", peer, e.getMessage(), logSuffix);
      }
    }
    open = Set.copyOf(answered);
    if (answered.containsAll(others)) {
      refreshAt = nanoClock.getAsLong() + REFRESH.toNanos();
    }
    return report(server, others, toProbe.size(), nanoClock.getAsLong() - start);
  }

  /**
   * The peers open for elections and leading: answered the last probe, and Ratis' heartbeat
   * channel to them connected. The heartbeat channels are asked on every call (no network when
   * connected), so one that gRPC closed while idle opens again within a call.
   */
  private Set<RaftPeerId> report(RaftServer server, List<RaftPeerId> others, int probed, long probeNanos) {
    Set<RaftPeerId> ready = new HashSet<>();
    for (RaftPeerId peer : others) {
      if (open.contains(peer) && HeartbeatChannels.connect(server, peer).ready()) {
        ready.add(peer);
      }
    }
    if (!ready.equals(reported)) {
      LOG.info("Raft connections to {} of {} other consenters open for elections and heartbeats ({} probed in {} ms) {}",
          ready.size(), others.size(), probed, probeNanos / 1_000_000, logSuffix);
    }
    reported = Set.copyOf(ready);
    return reported;
  }

  private RequestVoteRequestProto preVote(RaftServer.Division division, RaftPeerId self, RaftPeerId peer, TermIndex last) {
    RaftRpcRequestProto request = RaftRpcRequestProto.newBuilder()
        .setRequestorId(self.toByteString())
        .setReplyId(peer.toByteString())
        .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(division.getGroup().getGroupId().toByteString()))
        .setCallId(callIds.incrementAndGet())
        .build();
    return RequestVoteRequestProto.newBuilder()
        .setServerRequest(request)
        .setCandidateTerm(division.getInfo().getCurrentTerm())
        .setCandidateLastEntry(last == null ? TermIndexProto.getDefaultInstance() : last.toProto())
        .setPreVote(true)
        .build();
  }
}
