package io.raftswarm.orderer.broadcast;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.orderer.chain.BlockCutter;
import io.raftswarm.orderer.chain.Chain;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Every forwarding decision of this orderer in one place: whether a validated transaction is
 * ordered here, forwarded to the channel's leader, parked until the next leader change, or
 * refused with SERVICE_UNAVAILABLE; and what becomes of forwards in flight when the leader
 * changes or this node loses contact with it. {@link LeaderForwarder} (the client streams) and
 * {@link ForwardService} (the server side) only carry the bytes.
 */
public final class ForwardingRules {
  private final LeaderForwarder forwarder;
  private final LongSupplier nanoClock;
  private final long parkNanos;
  private final Duration retireGrace;
  private final long candidateGraceNanos;
  private final Duration silentLeader;
  /** When each channel's Raft role turned CANDIDATE, by {@link #nanoClock}. */
  private final Map<String, Long> candidateSince = new ConcurrentHashMap<>();
  /** Leader endpoints whose process was seen gone, by channel|endpoint, with when (see {@link #leaderLost}). */
  private final Map<String, Long> lostAt = new ConcurrentHashMap<>();

  /**
   * @param park how long a transaction that arrives while the channel has no reachable leader
   *     waits for the next one (a few election timeouts), instead of being refused at once
   * @param retireGrace how long forwards already sent to a replaced leader wait for its answer
   * @param candidateGrace how long this node may stay a CANDIDATE before its forwards to the
   *     old leader are failed
   * @param silentLeader how long a replaced leader that has not answered counts as gone (frozen or
   *     cut off) once its successor's first block is written here
   */
  public ForwardingRules(LeaderForwarder forwarder, LongSupplier nanoClock, Duration park, Duration retireGrace,
      Duration candidateGrace, Duration silentLeader) {
    this.forwarder = forwarder;
    this.nanoClock = nanoClock;
    this.parkNanos = park.toNanos();
    this.retireGrace = retireGrace;
    this.candidateGraceNanos = candidateGrace.toNanos();
    this.silentLeader = silentLeader;
  }

  /**
   * Orders on this leader or forwards to the leader. With no leader (election running) or an
   * unreachable one (killed), the transaction waits for the next leader change until the park
   * time after {@code startNanos} is up: nothing was sent anywhere yet, so waiting is safe and
   * spares the client a SERVICE_UNAVAILABLE during a sub-second election.
   */
  CompletableFuture<BroadcastResponse> route(Chain chain, Envelope envelope, String key, boolean configUpdate,
      boolean fromConsenter, long startNanos) {
    return routeUntil(chain, envelope, key, configUpdate, fromConsenter, startNanos + parkNanos);
  }

  private CompletableFuture<BroadcastResponse> routeUntil(Chain chain, Envelope envelope, String key, boolean configUpdate,
      boolean fromConsenter, long deadline) {
    if (chain.cutter().isLeader()) {
      // The leader validates a config update against the config in force when it is ordered.
      return configUpdate ? chain.submitConfigUpdate(envelope, key) : chain.cutter().submit(envelope, key);
    }
    CompletableFuture<Void> leaderChange = chain.nextLeaderChange();
    if (fromConsenter) {
      // A follower forwarded to us because it sees us as leader. Never forward again (no ping-pong
      // between stale views); but when Raft already made us leader and the cutter is just not
      // switched over yet (or an election runs), wait for it rather than refuse.
      boolean becomingLeader = chain.leaderId() == 0 || chain.leaderId() == chain.nodeId()
          || chain.role() == RaftPeerRole.LEADER;
      var newLeader = chain.leaderEndpoint();
      if (!becomingLeader && chain.handingOff() && newLeader.isPresent()) {
        // We handed leadership off on purpose (stopping): the sender's view is stale by our doing,
        // so pass the transaction on once instead of refusing it.
        return forwarder.forward(chain.channelId(), newLeader.get(), envelope);
      }
      if (!becomingLeader) {
        return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
            "orderer " + chain.nodeId() + " is not the Raft leader of channel " + chain.channelId() + " any more"));
      }
    } else {
      var endpoint = chain.leaderEndpoint();
      // A CANDIDATE has lost contact with its leader (leader dead, or we are cut off from the
      // majority): forwarding there would only hang; wait for a leader we can reach instead.
      boolean leaderInContact = chain.role() != RaftPeerRole.CANDIDATE;
      if (endpoint.isPresent() && chain.leaderId() != chain.nodeId() && leaderInContact
          && forwardable(chain.channelId(), endpoint.get())) {
        return forwarder.forward(chain.channelId(), endpoint.get(), envelope);
      }
    }
    long left = deadline - nanoClock.getAsLong();
    if (left <= 0) {
      return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
          "no reachable Raft leader for channel " + chain.channelId() + " right now (election in progress); retry shortly"));
    }
    // copy(): the timeout must not complete the chain's shared future.
    return leaderChange.copy()
        .completeOnTimeout(null, Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS)
        .thenCompose(v -> routeUntil(chain, envelope, key, configUpdate, fromConsenter, deadline));
  }

  /**
   * The leader of {@code chain} changed away from {@code oldLeader}: new forwards go to the new
   * leader at once, the ones already sent to the old leader wait {@code retireGrace} for its
   * answer (it answers what it holds when it steps down), and the connection to the new leader is
   * readied ahead of the first forward. An old leader that is alive but frozen or cut off
   * (LeaderWatch sees no break) never answers; once a block of a newer term is written here
   * nothing more can commit through its log, so if it has also been silent for
   * {@code silentLeader} what waits there is answered then rather than after the grace (the
   * client's later answers on the same stream queue behind it).
   */
  public void leaderChanged(Chain chain, int oldLeader) {
    forgetLostLeaders(chain.channelId());
    long oldTerm = chain.formerLeaderTerm();
    chain.endpointOf(oldLeader).ifPresent(endpoint -> {
      String reason = "the Raft leader of " + chain.channelId()
          + " changed while the transaction was forwarded; its outcome is unknown, retry it";
      if (oldTerm == 0) {
        forwarder.retire(chain.channelId(), endpoint, retireGrace, reason);
      } else {
        forwarder.retire(chain.channelId(), endpoint, retireGrace, reason, chain.blockInTermAbove(oldTerm),
            silentLeader, "the Raft leader of " + chain.channelId() + " changed while the transaction was forwarded"
                + " and the former leader at " + endpoint + " has not answered since the new one ordered its first"
                + " block; its outcome is unknown, retry it");
      }
    });
    if (chain.leaderId() != chain.nodeId()) {
      chain.leaderEndpoint().ifPresent(forwarder::prepare);
    }
  }

  /**
   * The connection to the leader of {@code channelId} at {@code endpoint} broke: its process is
   * gone (LeaderWatch). Forwards waiting there are answered SERVICE_UNAVAILABLE now (nobody will
   * answer them), and new ones wait for the next leader instead of going there: until Raft names
   * a successor this orderer still follows the dead leader, and a stream opened to a removed
   * container's overlay address hangs in connect (nobody answers ARP for it) for seconds while
   * the client's later answers queue behind it. Ends at the next leader change, or after the
   * candidate grace (one maximum election timeout: Raft names a successor of a dead leader
   * within it, and a leader whose watch stream broke while it lives is forwarded to again).
   */
  public void leaderLost(String channelId, String endpoint) {
    lostAt.put(channelId + "|" + endpoint, nanoClock.getAsLong());
    forwarder.abandon(channelId, endpoint, "the connection to the Raft leader of " + channelId + " at " + endpoint
        + " broke (its process is gone) while the transaction was forwarded; its outcome is unknown, retry it");
  }

  /** Whether a follower's transaction for {@code channelId} may go to its leader at {@code endpoint} now. */
  boolean forwardable(String channelId, String endpoint) {
    if (!forwarder.reachable(endpoint)) {
      return false;
    }
    String key = channelId + "|" + endpoint;
    Long at = lostAt.get(key);
    if (at == null) {
      return true;
    }
    if (nanoClock.getAsLong() - at < candidateGraceNanos) {
      return false;
    }
    lostAt.remove(key, at);
    return true;
  }

  /** A new leader of {@code channelId} is known: whatever was lost before no longer matters. */
  void forgetLostLeaders(String channelId) {
    lostAt.keySet().removeIf(k -> k.startsWith(channelId + "|"));
  }

  /** A channel was opened: connect ahead to the other consenters, any of which may become its leader. */
  public void channelOpened(ChannelConfig channel, int self) {
    forwarder.connectAhead(channel.consenters().stream().filter(c -> c.id() != self)
        .flatMap(c -> channel.ordererEndpoint(c.id()).stream()).toList());
  }

  /**
   * Run periodically. Transactions already forwarded to a leader this orderer no longer hears from
   * (it stays a CANDIDATE: the leader died, or this side of a partition lost the majority) would
   * otherwise wait for the forward timeout; answer them SERVICE_UNAVAILABLE after the candidate
   * grace. Not at once: a follower starved of CPU times out, pre-votes, is refused (the others
   * still hear the leader) and follows the same leader again, and the transactions it forwarded
   * commit. A real leader change retires them ({@link #leaderChanged}).
   */
  public void abandonForwardsWhileCandidate(Collection<Chain> chains) {
    chains.forEach(c -> {
      if (c.role() != RaftPeerRole.CANDIDATE) {
        candidateSince.remove(c.channelId());
        return;
      }
      long since = candidateSince.computeIfAbsent(c.channelId(), k -> nanoClock.getAsLong());
      if (nanoClock.getAsLong() - since >= candidateGraceNanos) {
        c.leaderEndpoint().ifPresent(endpoint -> forwarder.abandon(c.channelId(), endpoint,
            "this orderer lost contact with the Raft leader of " + c.channelId()
                + " (leader down, or this orderer is cut off from the majority); the outcome is unknown, retry"));
      }
    });
  }
}
