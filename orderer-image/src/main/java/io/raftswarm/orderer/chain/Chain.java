package io.raftswarm.orderer.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.configtx.ConfigUpdateException;
import io.raftswarm.common.configtx.ConfigUpdates;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.fabric.ParsedEnvelope;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.orderer.config.ConsenterPlacement;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.ops.OrdererMetrics;
import io.raftswarm.orderer.raft.BlockPuller;
import io.raftswarm.orderer.raft.ChannelStateMachine;
import io.raftswarm.orderer.raft.CheckQuorum;
import io.raftswarm.orderer.raft.ConsistentCut;
import io.raftswarm.orderer.raft.DedupWindow;
import io.raftswarm.orderer.raft.ElectionConnections;
import io.raftswarm.orderer.raft.EntryFragments;
import io.raftswarm.orderer.raft.LeaderLossElection;
import io.raftswarm.orderer.raft.LogCacheEviction;
import io.raftswarm.orderer.raft.RaftNodeAdd;
import io.raftswarm.orderer.raft.RaftSettings;
import io.raftswarm.orderer.raft.StuckLogWatch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel on this orderer (Fabric calls it a chain): its genesis configuration, ledger, Raft
 * group and state machine, and the leader's block cutter.
 *
 * <p>Threading: leader changes arrive on a Ratis thread and are handled on the chain's own
 * single-threaded {@code events} executor, in order. The outcomes of proposals (clients answered,
 * next batches proposed) run on its own {@code outcomes} thread, never on the Ratis thread that
 * completed them, nor on {@code events}, which may be waiting for them (leaving a channel hands
 * leadership off there, after the proposals in flight are answered).
 */
public final class Chain implements ChannelStateMachine.Listener, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.consensus.etcdraft");
  /** How often, and how far apart, a restart of the Raft node tries to add its division back. */
  private static final RaftNodeAdd RAFT_NODE_ADD = new RaftNodeAdd(5, Duration.ofSeconds(1));

  private volatile MspRegistry msps;
  private volatile Config rawConfig;
  private final SigningIdentity signer;
  /** Serializes config updates on the leader: each is validated against the config the previous one left. */
  private final Object configUpdates = new Object();
  /** A follower that answered within this window counts as active (a consenter change needs a quorum of them). */
  private volatile long activeWindowMillis = 1_200;
  /** The consenters of the config in force, and which one this orderer is; replaced with the config. */
  private volatile Membership membership;
  private final RaftGroupId groupId;
  /** Set while a Raft membership change this leader asked for runs; one at a time. */
  private volatile boolean reconfiguring;
  /** Set once this orderer saw a config block that no longer names it a consenter. */
  private volatile boolean evicted;
  private final List<Runnable> evictionListeners = new ArrayList<>();
  private final BlockPuller puller;
  /** Which machine each consenter runs on: where leadership should go (successions, hand-offs). */
  private final ConsenterPlacement placement;
  /** Set once this node's Raft division runs (started from its WAL, or created by a join). */
  private volatile boolean raftRunning;
  /** The added consenters this leader last waited for, so that the wait is logged once. */
  private volatile Set<String> waitingFor = Set.of();
  private final BlockStore ledger;
  private final DedupWindow window;
  private final java.util.function.Supplier<ChannelStateMachine> stateMachines;
  private volatile ChannelStateMachine stateMachine;
  private final BlockCutter cutter;
  private final ElectionConnections electionConnections;
  private final StuckLogWatch stuckLog;
  private final OrdererMetrics metrics;
  private final ExecutorService events;
  private final ExecutorService outcomes;
  private final LongSupplier nanoClock;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final Object proposing = new Object();
  private final List<Consumer<Integer>> leaderListeners = new ArrayList<>();
  private volatile RaftServer server;
  /** The Raft peer id of the leader as last notified by Raft, null when there is none. */
  private volatile String leaderPeer;
  /** The Raft term in which {@link #leaderPeer} was first seen leading; 0 while no leader is known. */
  private volatile long leaderTerm;
  /** The term of the leader before the latest change (see {@link #formerLeaderTerm()}). */
  private volatile long formerLeaderTerm;
  /** A CheckQuorum step-down was asked of Ratis and has not completed. */
  private volatile boolean steppingDown;
  /** Futures of {@link #blockInTermAbove}, by the term a block must exceed. */
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> termWaiters = new ConcurrentSkipListMap<>();
  private volatile boolean handingOff;
  /** Completed (and replaced) after each leader change is handled; Broadcast parks on it during elections. */
  private volatile CompletableFuture<Void> nextLeaderChange = new CompletableFuture<>();

  Chain(ChannelConfig config, Config rawConfig, X509Certificate myTlsCertificate, BlockStore ledger, SigningIdentity signer,
      OrdererMetrics metrics, ChainRuntime runtime, BlockPuller puller, ConsenterPlacement placement, boolean cutWhenIdle) {
    this.msps = config.msps();
    this.rawConfig = rawConfig;
    this.signer = signer;
    this.membership = Membership.of(config, ConsenterIds.selfPeerId(config, myTlsCertificate));
    if (!membership.includesSelf()) {
      throw new IllegalArgumentException("this orderer (TLS certificate " + myTlsCertificate.getSubjectX500Principal().getName()
          + ") is not a consenter of channel " + config.channelId() + " in the config in force; add it to the channel's"
          + " consenters (a config update), or remove " + config.channelId() + ".block from ORDERER_GENERAL_BOOTSTRAPDIR");
    }
    if (ConsenterIds.consenterId(config, myTlsCertificate) == 0) {
      LOG.warn("This orderer's TLS certificate is not the one channel {} records for consenter {}; the other orderers"
          + " refuse its cluster calls until it runs with the recorded certificate", config.channelId(), membership.selfPeer());
    }
    this.groupId = groupId(config.channelId());
    this.puller = puller;
    this.placement = placement;
    this.ledger = ledger;
    this.window = new DedupWindow(100_000);
    this.metrics = metrics;
    this.nanoClock = runtime.nanoClock();
    this.electionConnections = new ElectionConnections(logSuffix(), nanoClock);
    this.stuckLog = new StuckLogWatch(nanoClock);
    this.events = runtime.eventLoops().apply(config.channelId());
    this.outcomes = runtime.eventLoops().apply(config.channelId() + "-outcomes");
    this.stateMachines = () -> new ChannelStateMachine(config.channelId(), nodeId(), ledger, window, signer, this,
        runtime.notifier(), runtime.catchUp(), puller, runtime.nanoClock());
    this.stateMachine = stateMachines.get();
    this.cutter = new BlockCutter(logSuffix(), config.batch(), config.raftOptions().maxInflightBlocks(), cutWhenIdle, this::propose,
        window::contains, ledger::height, runtime.scheduler(), runtime.nanoClock());
    metrics.clusterSize.labelValues(channelId()).set(config.consenters().size());
    metrics.isLeader.labelValues(channelId()).set(0);
    metrics.committedBlockNumber.labelValues(channelId()).set(ledger.height() - 1);
    metrics.ledgerHeight.labelValues(channelId()).set(ledger.height());
  }

  /** Group id = name-based UUID of the channel name, the same on every orderer. */
  public static RaftGroupId groupId(String channelId) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("raftswarm-channel:" + channelId).getBytes(StandardCharsets.UTF_8)));
  }

  public void attachTo(RaftServer server) {
    this.server = server;
    LOG.info("Starting Raft node {}", logSuffix());
  }

  public String channelId() {
    return config().channelId();
  }

  /** Endpoints learned for the consenters a config ties none to, for that config (see EndpointOwners). */
  private record LearnedEndpoints(ChannelConfig config, Map<Integer, String> byId) {}

  private volatile LearnedEndpoints learned = new LearnedEndpoints(null, Map.of());

  /** The config in force; replaced when a config block is committed ({@link #onConfigCommitted}). */
  public ChannelConfig config() {
    return membership.config();
  }

  public MspRegistry msps() {
    return msps;
  }

  /** This orderer's consenter id in the config in force (ids are positions, so a removal can shift them). */
  public int nodeId() {
    return membership.selfId();
  }

  /** "channel=mychannel node=3", the end of every log line of this channel. */
  private String logSuffix() {
    return "channel=" + channelId() + " node=" + nodeId();
  }

  /** The Raft group these consenters make: the members a new Raft node starts with. */
  public RaftGroup group() {
    return RaftGroup.valueOf(groupId, membership.raftPeers());
  }

  public RaftGroupId groupId() {
    return groupId;
  }

  /** Called once this node's Raft division runs. */
  public void raftStarted() {
    raftRunning = true;
  }

  public boolean raftRunning() {
    return raftRunning;
  }

  /**
   * Opens this node's Raft connections to the other consenters ahead of any election, and keeps
   * them open (see {@link ElectionConnections}); the consenters' peer ids whose connection is open.
   */
  public Set<String> keepElectionConnectionsOpen() {
    RaftServer s = server;
    if (s == null || !raftRunning) {
      return Set.of();
    }
    try {
      return electionConnections.keepOpen(s, s.getDivision(groupId)).stream().map(RaftPeerId::toString)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      return Set.of(); // the division is gone (shutting down or removed)
    }
  }

  public BlockStore ledger() {
    return ledger;
  }

  public ChannelStateMachine stateMachine() {
    return stateMachine;
  }

  /** The state machine for Ratis to start: a new one when Ratis already used (and closed) the current one. */
  public synchronized ChannelStateMachine openStateMachine() {
    if (stateMachine.getLifeCycleState() != LifeCycle.State.NEW) {
      stateMachine = stateMachines.get();
    }
    return stateMachine;
  }

  /**
   * Restarts this node's Raft division when a finished catch-up has waited longer than {@code grace}
   * for Ratis to resume it (see {@link ChannelStateMachine#catchUpUnacknowledgedFor()}). The
   * restarted division recovers from its WAL and the snapshot the catch-up wrote, like an orderer
   * restart, but without stopping the process or the other channels.
   */
  public void restartIfCatchUpUnacknowledged(Duration grace) {
    Duration waited = stateMachine.catchUpUnacknowledgedFor();
    if (server == null || waited.compareTo(grace) <= 0) {
      return;
    }
    LOG.warn("Raft did not resume this node {} ms after it caught up (the leader that asked for the catch-up no longer"
        + " leads); restarting the Raft node {}", waited.toMillis(), logSuffix());
    restartRaftNode();
  }

  /**
   * Restarts this node's Raft division when its log has taken no entry for {@code grace} although
   * its leader reaches it and has committed entries the log lacks (see {@link StuckLogWatch}).
   */
  public void restartIfRaftLogStuck(Duration grace, Duration leaderSilence) {
    RaftServer s = server;
    if (s == null || !raftRunning) {
      return;
    }
    long last;
    long commit;
    boolean following;
    Duration inRole;
    try {
      RaftServer.Division d = s.getDivision(groupId);
      var role = d.getInfo().getRoleInfoProto();
      following = d.getInfo().isFollower() && d.getInfo().getLeaderId() != null && !stateMachine.catchingUp()
          && stateMachine.catchUpUnacknowledgedFor().isZero()
          && role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() < leaderSilence.toMillis();
      inRole = Duration.ofMillis(role.getRoleElapsedTimeMs());
      var lastEntry = d.getRaftLog().getLastEntryTermIndex();
      last = lastEntry == null ? -1 : lastEntry.getIndex();
      commit = d.getCommitInfos().stream().mapToLong(CommitInfoProto::getCommitIndex).max().orElse(-1);
    } catch (IOException e) {
      return; // the division is gone (shutting down or removed)
    }
    if (stuckLog.stuck(following, inRole, last, commit, grace)) {
      LOG.warn("This node's Raft log took no entry for {} ms while its leader, still in touch, committed up to index {}"
          + " (the log ends at {}); restarting the Raft node {}", grace.toMillis(), commit, last, logSuffix());
      restartRaftNode();
    }
  }

  /** A new Raft division for this channel, recovered from its WAL and snapshot, without stopping the process. */
  private void restartRaftNode() {
    RaftServer s = server;
    if (s == null) {
      return;
    }
    try {
      LogCacheEviction.stopBeforeClose(s, groupId);
      RaftClientReply removed = s.groupManagement(GroupManagementRequest.newRemove(clientId, s.getId(),
          callIds.incrementAndGet(), groupId, false, false));
      if (!removed.isSuccess()) {
        throw new IOException("stop: " + removed.getException());
      }
      stateMachine.discardUnacknowledgedCatchUp();
      addRaftNode(s);
      metrics.raftNodeRestarts.labelValues(channelId()).inc();
      LOG.info("Restarted Raft node from its WAL {}", logSuffix());
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot restart the Raft node {}: {}; restart the orderer", logSuffix(), e.getMessage());
    }
  }

  private boolean hasDivision(RaftServer s) {
    try {
      return s.getDivision(groupId) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private void addRaftNode(RaftServer s) throws IOException {
    RAFT_NODE_ADD.run(() -> {
      RaftClientReply added = s.groupManagement(GroupManagementRequest.newAdd(clientId, s.getId(),
          callIds.incrementAndGet(), group(), false));
      return added.isSuccess() ? null : String.valueOf(added.getException());
    }, () -> hasDivision(s), failure -> LOG.warn("Adding the Raft node back failed ({}); trying again in {} ms {}",
        failure, RAFT_NODE_ADD.pause().toMillis(), logSuffix()));
  }

  public BlockCutter cutter() {
    return cutter;
  }

  /** Whether {@code certificate} (a TLS client certificate) belongs to a consenter of this channel. */
  public boolean isConsenter(X509Certificate certificate) {
    return certificate != null && membership.certificates().contains(ConsenterIds.ByteKey.of(certificate));
  }

  /** The consenter id of the current leader as last notified by Raft, 0 when there is none. */
  public int leaderId() {
    return membership.consenterId(leaderPeer);
  }

  /**
   * Like etcdraft's {@code Errored()}: the channel has no Raft leader this node knows of (an
   * election runs, or this node is cut off from the majority, or it was the leader and stepped
   * down for lack of a quorum). STRICT Deliver requests are refused with SERVICE_UNAVAILABLE then,
   * so that clients move to an orderer in the majority. As in Fabric, clusters of one or two
   * consenters never report it. Asks Ratis rather than {@link #leaderId()}: Ratis does not notify
   * a leader that steps down, so the last notified leader can be stale.
   */
  public boolean consensusErrored() {
    if (config().consenters().size() <= 2) {
      return false;
    }
    RaftServer s = server;
    if (s == null) {
      return true;
    }
    try {
      var info = s.getDivision(groupId).getInfo();
      return info.getLeaderId() == null || info.getCurrentRole() == RaftPeerRole.CANDIDATE;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * How long ago this follower last heard from its Raft leader (entries or a heartbeat), as Ratis
   * counts it; empty when it is no follower or follows no leader (an election runs).
   */
  public OptionalLong millisSinceLeaderSpoke() {
    RaftServer s = server;
    if (s == null) {
      return OptionalLong.empty();
    }
    try {
      var info = s.getDivision(groupId).getInfo();
      if (!info.isFollower() || info.getLeaderId() == null) {
        return OptionalLong.empty();
      }
      var follower = info.getRoleInfoProto().getFollowerInfo();
      return follower.hasLeaderInfo() ? OptionalLong.of(follower.getLeaderInfo().getLastRpcElapsedTimeMs()) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** The Broadcast/Deliver endpoint of the current leader. */
  public Optional<String> leaderEndpoint() {
    int id = leaderId();
    return id == 0 ? Optional.empty() : endpointOf(id);
  }

  /**
   * Consenter {@code id}'s Broadcast/Deliver endpoint: the one learned from the certificate it
   * presents ({@link #learnedEndpoints}) under the config in force, else the one the config ties
   * to it.
   */
  public Optional<String> endpointOf(int id) {
    ChannelConfig current = config();
    LearnedEndpoints known = learned;
    String learnedEndpoint = known.config() == current ? known.byId().get(id) : null;
    return learnedEndpoint != null ? Optional.of(learnedEndpoint) : current.ordererEndpoint(id);
  }

  /**
   * Endpoints learned for consenters {@code under} ties none to (ids are positions in that config);
   * added to those learned before under the same config.
   */
  public synchronized void learnedEndpoints(ChannelConfig under, Map<Integer, String> byId) {
    Map<Integer, String> all = new java.util.HashMap<>(learned.config() == under ? learned.byId() : Map.of());
    all.putAll(byId);
    learned = new LearnedEndpoints(under, Map.copyOf(all));
  }

  /** Consenter {@code id}'s endpoint as learned under the config in force, if it was. */
  public Optional<String> learnedEndpoint(int id) {
    LearnedEndpoints known = learned;
    return known.config() == config() ? Optional.ofNullable(known.byId().get(id)) : Optional.empty();
  }

  /** The config the endpoints were learned under; null before the first learning. */
  public ChannelConfig endpointsLearnedUnder() {
    return learned.config();
  }

  /** The consenter id behind a Ratis peer id, 0 if unknown. */
  public int consenterId(String peerId) {
    return membership.consenterId(peerId);
  }

  public RaftPeerRole role() {
    RaftServer s = server;
    if (s == null) {
      return RaftPeerRole.FOLLOWER;
    }
    try {
      return s.getDivision(groupId).getInfo().getCurrentRole();
    } catch (IOException e) {
      return RaftPeerRole.FOLLOWER;
    }
  }

  public long term() {
    RaftServer s = server;
    if (s == null) {
      return 0;
    }
    try {
      return s.getDivision(groupId).getInfo().getCurrentTerm();
    } catch (IOException e) {
      return 0;
    }
  }

  /** First index still in this node's Raft log (entries before it were purged after a snapshot). */
  public long raftLogStartIndex() {
    RaftServer s = server;
    if (s == null) {
      return -1;
    }
    try {
      return s.getDivision(groupId).getRaftLog().getStartIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Asks Ratis to hand this channel's leadership to consenter {@code consenterId} (this node must
   * lead); returns once the new leader has taken over or throws with Ratis' reason.
   */
  public void transferLeadership(int consenterId, Duration timeout) throws IOException {
    RaftServer s = server;
    if (s == null) {
      throw new IOException("the Raft server of " + logSuffix() + " is not started");
    }
    RaftPeerId target = membership.peerOf(consenterId).map(RaftPeerId::valueOf)
        .orElseThrow(() -> new IllegalArgumentException("channel " + channelId() + " has no consenter " + consenterId));
    RaftClientReply reply = s.transferLeadership(new TransferLeadershipRequest(clientId, s.getId(), groupId,
        callIds.incrementAndGet(), target, timeout.toMillis()));
    if (!reply.isSuccess()) {
      throw new IOException("leadership of " + channelId() + " did not move to " + consenterId + ": " + reply.getException());
    }
  }

  /**
   * CheckQuorum ({@link CheckQuorum}): when this node leads but fewer than a majority of the voting
   * consenters answered it within {@code window} ({@link CheckQuorum#window}), asks Ratis to step
   * down, as Ratis' own check would if its leader were idle. Called on a timer; does nothing while
   * the configuration is changing (two majorities) or a step-down is already under way.
   */
  public void stepDownIfQuorumLost(Duration window) {
    RaftServer s = server;
    if (s == null || !raftRunning || steppingDown) {
      return;
    }
    try {
      RaftServer.Division division = s.getDivision(groupId);
      var info = division.getInfo();
      if (!info.isLeader() || !division.getRaftConf().getPreviousPeers().isEmpty()) {
        return;
      }
      var role = info.getRoleInfoProto();
      Set<String> voters = peerIds(division.getRaftConf().getCurrentPeers());
      if (!CheckQuorum.lost(role, voters, s.getId().toString(), window.toMillis())) {
        return;
      }
      LOG.warn("{} stepped down to follower since quorum is not active ({} of {} consenters answered within {} ms) {}",
          nodeId(), 1 + CheckQuorum.answered(role, voters, s.getId().toString(), window.toMillis()), voters.size(),
          window.toMillis(), logSuffix());
      steppingDown = true;
      // A transfer to nobody is Ratis' step-down request.
      s.transferLeadershipAsync(new TransferLeadershipRequest(clientId, s.getId(), groupId, callIds.incrementAndGet(),
          null, window.toMillis()))
          .whenComplete((reply, e) -> {
            steppingDown = false;
            Object failure = e != null ? e : reply.isSuccess() ? null : reply.getException();
            if (failure != null) {
              LOG.warn("Stepping down failed: {} {}", failure, logSuffix());
            }
          });
    } catch (IOException | RuntimeException e) {
      steppingDown = false;
      LOG.warn("Cannot check the quorum: {} {}", e.getMessage(), logSuffix());
    }
  }

  /**
   * Graceful stop of a leader, as etcd's leadership transfer: stop taking transactions, commit
   * what is pending, then hand leadership to a follower (Ratis waits until it holds every entry
   * and lets it start the election at once), so the others do not wait out an election timeout
   * and no acknowledged-pending transaction is refused. The follower is a preferred leader
   * ({@link #preferredLeaders}) that answered within the active window if there is one, else the
   * one that answered most recently. Returns
   * quietly when this node does not lead; logs and returns when the hand-off fails (the stop goes
   * on, the others elect a leader the usual way).
   */
  public void handOffLeadership(Duration timeout) {
    RaftServer s = server;
    if (s == null || role() != RaftPeerRole.LEADER) {
      return;
    }
    long start = nanoClock.getAsLong();
    handingOff = true;
    try {
      boolean drained = cutter.drainForHandOff(timeout.dividedBy(2));
      var followers = s.getDivision(groupId).getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
      Set<Integer> preferred = preferredLeaders();
      long active = activeWindowMillis;
      var target = followers.stream()
          .map(f -> Map.entry(consenterId(f.getId().getId().toStringUtf8()), f.getLastRpcElapsedTimeMs()))
          .filter(f -> f.getKey() != 0)
          .min(Comparator.comparing((Map.Entry<Integer, Long> f) -> !(preferred.contains(f.getKey()) && f.getValue() <= active))
              .thenComparingLong(Map.Entry::getValue))
          .map(Map.Entry::getKey);
      if (target.isEmpty()) {
        LOG.warn("No follower to hand leadership to {}", logSuffix());
        return;
      }
      LOG.info("Stopping: handing leadership to {} ({}) {}", target.get(),
          drained ? "pending blocks committed" : "some proposals still in flight", logSuffix());
      long deadline = start + timeout.toNanos();
      while (true) {
        try {
          transferLeadership(target.get(), timeout.dividedBy(2));
          break;
        } catch (IOException e) {
          // A leader elected moments ago refuses until its first entry is committed; that takes
          // a round trip, so try again while the budget lasts.
          boolean notReady = String.valueOf(e.getMessage()).contains("LeaderNotReady");
          if (!notReady || nanoClock.getAsLong() + 50_000_000L > deadline) {
            throw e;
          }
          Thread.sleep(50);
        }
      }
      LOG.info("Leadership handed to {} in {} ms {}", target.get(), (nanoClock.getAsLong() - start) / 1_000_000, logSuffix());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not hand off leadership: {} {}", e.getMessage(), logSuffix());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * This node's turn among the consenters that may succeed {@code lostLeader}: 0 goes first. The
   * preferred leaders ({@link #preferredLeaders}) go before the others; within each group the
   * order starts after the lost leader's id and wraps around, so that not every failover lands on
   * the lowest id. One candidate at a time avoids split votes when every follower notices the
   * death at the same instant.
   */
  public int successionRank(int lostLeader) {
    return successionRank(config().consenters().stream().map(Consenter::id).toList(), lostLeader, nodeId(), preferredLeaders());
  }

  /**
   * {@link #successionRank(int)} among the consenters on {@code lostLeader}'s machine only: those
   * are the ones that act on a leader cut off (OrdererChannels), so the first of them goes first
   * even when the leader ran off the preferred machine.
   */
  public int successionRankOnItsMachine(int lostLeader) {
    List<Consenter> consenters = config().consenters();
    return successionRankOnItsMachine(consenters.stream().map(Consenter::id).toList(), lostLeader, nodeId(),
        preferredLeaders(), id -> placement.sameMachine(consenters, lostLeader, id));
  }

  /** @param onItsMachine whether a consenter runs on the lost leader's machine; the others rank after all of them */
  static int successionRankOnItsMachine(List<Integer> consenters, int lostLeader, int self, Set<Integer> preferred,
      IntPredicate onItsMachine) {
    List<Integer> sameMachine = consenters.stream().filter(id -> id == lostLeader || onItsMachine.test(id)).toList();
    return sameMachine.contains(self) ? successionRank(sameMachine, lostLeader, self, preferred) : consenters.size();
  }

  static int successionRank(List<Integer> consenters, int lostLeader, int self, Set<Integer> preferred) {
    // preferred first; then the ring after the lost leader: higher ids ascending, then lower ones
    List<Integer> order = consenters.stream().filter(id -> id != lostLeader)
        .sorted(Comparator.comparing((Integer id) -> !preferred.contains(id))
            .thenComparing(id -> id < lostLeader)
            .thenComparing(Comparator.naturalOrder()))
        .toList();
    int rank = order.indexOf(self);
    return rank < 0 ? order.size() : rank;
  }

  /**
   * The consenters that should lead this channel: those on the machine that runs most of them
   * (ConsenterPlacement), or all of them when the orderer was given no placement.
   */
  public Set<Integer> preferredLeaders() {
    return placement.preferredLeaders(config().consenters());
  }

  /** Whether the placement runs this orderer on the same machine as consenter {@code id}. */
  public boolean sharesMachineWith(int id) {
    return placement.sameMachine(config().consenters(), nodeId(), id);
  }

  /**
   * The leader {@code lostLeader} of term {@code lostTerm} is dead (its connection broke): start an
   * election now rather than after the election timeout, if this node still follows it in that
   * term ({@link LeaderLossElection}).
   */
  public LeaderLossElection.Outcome electAfterLeaderLoss(int lostLeader, long lostTerm, String evidence) {
    RaftServer s = server;
    RaftPeerId lost = membership.peerOf(lostLeader).map(RaftPeerId::valueOf).orElse(null);
    if (s == null || lost == null) {
      return LeaderLossElection.Outcome.LEADER_ALREADY_CHANGED;
    }
    LeaderLossElection.Outcome outcome;
    try {
      outcome = LeaderLossElection.start(s, groupId, lost, lostTerm);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not start an election after losing leader {}: {} {}", lostLeader, e.getMessage(), logSuffix());
      return LeaderLossElection.Outcome.REFUSED;
    }
    if (outcome == LeaderLossElection.Outcome.STARTED) {
      metrics.leaderLossElections.labelValues(channelId()).inc();
      LOG.info("raft.node: {} is starting a new election at term {}: leader {} is gone ({}) {}",
          nodeId(), term(), lostLeader, evidence, logSuffix());
    } else {
      LOG.debug("No election after losing leader {}: {} {}", lostLeader, outcome, logSuffix());
    }
    return outcome;
  }

  /** Whether this node handed its leadership off (it is stopping): forwarded transactions go on to the new leader. */
  public boolean handingOff() {
    return handingOff;
  }

  /** Completes once the next leader change has been handled (cutter and {@link #leaderId()} updated). */
  public CompletableFuture<Void> nextLeaderChange() {
    return nextLeaderChange;
  }

  /**
   * The Raft term in which the leader before the latest leader change led, 0 when unknown (no
   * leader had been seen since this orderer started).
   */
  public long formerLeaderTerm() {
    return formerLeaderTerm;
  }

  /**
   * Completes once this orderer has written a block ordered in a Raft term above {@code term}.
   * From then on the fate of every entry of a leader of {@code term} or earlier is decided: the
   * ones the newer leader had are committed and written before its block, the rest are gone.
   */
  public CompletableFuture<Void> blockInTermAbove(long term) {
    if (lastBlockTerm() > term) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> waiter = termWaiters.computeIfAbsent(term, t -> new CompletableFuture<>());
    if (lastBlockTerm() > term) {
      completeTermWaiters();
    }
    return waiter;
  }

  private void completeTermWaiters() {
    var below = termWaiters.headMap(lastBlockTerm(), false);
    below.values().forEach(f -> f.complete(null));
    below.clear();
  }

  /** Registers a callback run (on the chain's events thread) with the old leader id when the leader changes. */
  public synchronized void onLeaderChange(Consumer<Integer> listener) {
    leaderListeners.add(listener);
  }

  public ConsistentCut cut() {
    return stateMachine.cut();
  }

  /** See {@link ChannelStateMachine#lastBlockTerm()}. */
  public long lastBlockTerm() {
    return stateMachine.lastBlockTerm();
  }

  /**
   * A CONFIG_UPDATE on the leader, as Fabric's orderer processes one: validated against the
   * config in force and the channel's policies ({@link ConfigUpdates}), turned into a CONFIG
   * envelope signed by this orderer that carries the new config and the update, and ordered in a
   * block of its own. Changes the running orderers cannot take (Raft options, blocks larger
   * than this orderer's heap holds) are refused.
   */
  public CompletableFuture<BroadcastResponse> submitConfigUpdate(Envelope envelope, String key) {
    Envelope configEnvelope;
    synchronized (configUpdates) {
      try {
        ParsedEnvelope parsed = Envelopes.parse(envelope);
        ConfigUpdateEnvelope update = ConfigUpdateEnvelope.parseFrom(parsed.payload().getData());
        Config next = ConfigUpdates.apply(channelId(), rawConfig, update, msps);
        ChannelConfig proposed;
        try {
          proposed = ChannelConfigs.fromConfig(channelId(), next);
        } catch (IllegalArgumentException e) {
          throw new ConfigUpdateException("the updated config is not valid: " + e.getMessage());
        }
        ConfigChanges.requireSupported(config(), proposed, OrdererMemory.ofThisJvm());
        var consenterChange = ConfigChanges.consenterChange(config(), proposed);
        ConfigChanges.requireQuorumAfter(consenterChange, proposed, activePeers(activeWindowMillis));
        configEnvelope = Envelopes.signed(HeaderType.CONFIG, channelId(), ConfigEnvelope.newBuilder()
            .setConfig(next).setLastUpdate(envelope).build().toByteString(), signer);
      } catch (InvalidProtocolBufferException e) {
        return CompletableFuture.completedFuture(BlockCutter.response(Status.BAD_REQUEST,
            "config update envelope is malformed: " + e.getMessage()));
      } catch (IOException e) {
        return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE,
            "this orderer cannot tell which consenters are active: " + e.getMessage()));
      } catch (ConfigUpdateException e) {
        LOG.warn("Rejecting config update for channel {}: {} {}", channelId(), e.getMessage(), logSuffix());
        return CompletableFuture.completedFuture(BlockCutter.response(Status.BAD_REQUEST,
            "error applying config update to existing channel '" + channelId() + "': " + e.getMessage()));
      }
      return cutter.submitAlone(configEnvelope, key);
    }
  }

  @Override
  public void onConfigCommitted(long blockNumber, Config committed) {
    ChannelConfig next;
    try {
      next = ChannelConfigs.fromConfig(channelId(), committed);
    } catch (IllegalArgumentException e) {
      // The leader validated it; a node that cannot read it keeps ordering with the old one and says so.
      LOG.error("Config block [{}] cannot be read, keeping the previous config: {} {}", blockNumber, e.getMessage(), logSuffix());
      return;
    }
    ChannelConfig previous = config();
    Membership members;
    try {
      members = Membership.of(next, membership.selfPeer());
    } catch (IllegalArgumentException e) {
      LOG.error("Config block [{}] names consenters this orderer cannot tell apart, keeping the previous config: {} {}",
          blockNumber, e.getMessage(), logSuffix());
      return;
    }
    String suffix = logSuffix();
    rawConfig = committed;
    msps = next.msps();
    membership = members;
    cutter.updateBatch(next.batch());
    metrics.clusterSize.labelValues(channelId()).set(next.consenters().size());
    LOG.info("Channel config updated by block [{}] to sequence {}: {} {}", blockNumber, committed.getSequence(),
        ConfigChanges.describe(previous, next), suffix);
    if (!members.includesSelf() && !evicted) {
      evicted = true;
      LOG.warn("This orderer is no longer a consenter of channel {} (config block [{}]): it stops its Raft node and"
          + " leaves the channel {}", channelId(), blockNumber, suffix);
      List<Runnable> listeners;
      synchronized (this) {
        listeners = List.copyOf(evictionListeners);
      }
      // Not on this Ratis apply thread: leaving stops the Raft node that runs it.
      listeners.forEach(l -> events.execute(l));
    }
  }

  /** Registers what to do (on the events thread) once a config block removed this orderer from the consenters. */
  public synchronized void onEvicted(Runnable listener) {
    evictionListeners.add(listener);
  }

  /** Whether a config block removed this orderer from the channel's consenters. */
  public boolean evicted() {
    return evicted;
  }

  /**
   * On the leader, makes the Raft group's members those the config in force names (a config
   * block added, removed or moved a consenter): Ratis first brings an added member up to date,
   * then commits the joint configuration and the new one. Run periodically (every second, off the
   * batch timers: it may wait on a probe of an added consenter), so a change is made within a
   * second of its config block and survives a failed attempt and a leader change; one at a time.
   */
  public void reconcileRaftMembers() {
    RaftServer s = server;
    if (s == null || reconfiguring || evicted) {
      return;
    }
    List<RaftPeer> desired = membership.raftPeers();
    try {
      var division = s.getDivision(groupId);
      if (!division.getInfo().isLeader() || !division.getInfo().isLeaderReady()) {
        return;
      }
      var conf = division.getRaftConf();
      if (!conf.getPreviousPeers().isEmpty()) {
        return;
      }
      Set<String> current = peerIds(conf.getCurrentPeers());
      if (current.equals(peerIds(desired))) {
        return;
      }
      // Added consenters join the Raft group once they run the channel (joined through the
      // participation API with a config block naming them).
      Set<String> notJoined = new java.util.TreeSet<>();
      for (RaftPeer p : desired) {
        String peer = p.getId().toString();
        int id = membership.consenterId(peer);
        if (!current.contains(peer) && !endpointOf(id).map(puller::runsChannel).orElse(false)) {
          notJoined.add(peer);
        }
      }
      if (!notJoined.isEmpty()) {
        if (!notJoined.equals(waitingFor)) {
          LOG.info("Waiting for {} to join the channel before adding them to the Raft group {}", notJoined, logSuffix());
        }
        waitingFor = notJoined;
        return;
      }
      waitingFor = Set.of();
      reconfiguring = true;
      long start = nanoClock.getAsLong();
      LOG.info("Changing the Raft members from {} to {} as the channel config says {}", current, peerIds(desired), logSuffix());
      s.setConfigurationAsync(new SetConfigurationRequest(clientId, s.getId(), groupId, callIds.incrementAndGet(), desired))
          .whenComplete((reply, e) -> {
            reconfiguring = false;
            Object failure = e != null ? e : reply.isSuccess() ? null : reply.getException();
            if (failure == null) {
              metrics.clusterSize.labelValues(channelId()).set(desired.size());
              LOG.info("Raft members changed to {} in {} ms {}", peerIds(desired),
                  (nanoClock.getAsLong() - start) / 1_000_000, logSuffix());
            } else {
              LOG.warn("Raft membership change to {} failed, retrying: {} {}", peerIds(desired), failure, logSuffix());
            }
          });
    } catch (IOException | RuntimeException e) {
      reconfiguring = false;
      LOG.warn("Cannot change the Raft members: {} {}", e.getMessage(), logSuffix());
    }
  }

  /** The Raft peer ids in the group's configuration as this node knows it; empty while its Raft node is not running. */
  public Set<String> raftMembers() {
    RaftServer s = server;
    try {
      return s == null ? Set.of() : peerIds(s.getDivision(groupId).getRaftConf().getCurrentPeers());
    } catch (IOException e) {
      return Set.of();
    }
  }

  private static Set<String> peerIds(java.util.Collection<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  /** Raft peer ids of the consenters this leader heard from within {@code windowMillis}, itself included. */
  private Set<String> activePeers(long windowMillis) throws IOException {
    Set<String> active = new java.util.HashSet<>();
    active.add(membership.selfPeer());
    RaftServer s = server;
    if (s != null) {
      s.getDivision(groupId).getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
          .filter(f -> f.getLastRpcElapsedTimeMs() <= windowMillis)
          .forEach(f -> active.add(f.getId().getId().toStringUtf8()));
    }
    return active;
  }

  /** The config in force as Fabric's {@code common.Config} (its sequence counts the updates). */
  public Config rawConfig() {
    return rawConfig;
  }

  /**
   * Proposes one batch: one Raft entry, or its fragments back to back when it is larger than an
   * entry ({@link EntryFragments}). Completes with the state machine's reply to the last entry.
   */
  private CompletableFuture<String> propose(byte[] batch) {
    RaftServer s = server;
    if (s == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("Raft server not started"));
    }
    List<ByteString> entries = EntryFragments.split(UnsafeByteOperations.unsafeWrap(batch),
        RaftSettings.FRAGMENT_BYTES);
    List<CompletableFuture<RaftClientReply>> replies = new ArrayList<>(entries.size());
    try {
      // Ratis appends a leader's proposals in the order they are submitted; the lock keeps another
      // thread's batch from landing between two fragments.
      synchronized (proposing) {
        for (ByteString entry : entries) {
          replies.add(s.submitClientRequestAsync(RaftClientRequest.newBuilder()
              .setClientId(clientId)
              .setServerId(s.getId())
              .setGroupId(groupId)
              .setCallId(callIds.incrementAndGet())
              .setMessage(Message.valueOf(entry))
              .setType(RaftClientRequest.writeRequestType())
              .build()));
        }
      }
    } catch (IOException e) {
      metrics.proposalFailures.labelValues(channelId()).inc();
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .orTimeout(10, TimeUnit.SECONDS)
        .thenApply(none -> {
          for (CompletableFuture<RaftClientReply> r : replies) {
            RaftClientReply reply = r.join();
            if (!reply.isSuccess()) {
              throw new CompletionException(reply.getException());
            }
          }
          RaftClientReply last = replies.get(replies.size() - 1).join();
          return last.getMessage() == null ? "" : last.getMessage().getContent().toStringUtf8();
        })
        // Off Ratis' threads: a follower truncating a deposed leader's entries fails their
        // replies while it holds the log's write lock and sequential-operation guard, and what
        // follows a proposal (answering clients, proposing the next batches) must not run there.
        .whenCompleteAsync((r, e) -> {
          if (e != null) {
            metrics.proposalFailures.labelValues(channelId()).inc();
          }
        }, this::onOutcomesThread);
  }

  /** Runs on the chain's outcomes thread; inline once the chain closed, so no proposal's clients are left waiting. */
  private void onOutcomesThread(Runnable task) {
    try {
      outcomes.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  @Override
  public void onBlockWritten(Block block, long raftIndex, long persistNanos) {
    long number = block.getHeader().getNumber();
    LOG.info("Writing block [{}] (Raft index: {}) to ledger {}", number, raftIndex, logSuffix());
    metrics.committedBlockNumber.labelValues(channelId()).set(number);
    metrics.ledgerHeight.labelValues(channelId()).set(number + 1);
    metrics.dataPersistDuration.labelValues(channelId()).observe(persistNanos / 1e9);
    if (!termWaiters.isEmpty()) {
      completeTermWaiters();
    }
  }

  @Override
  public void onLeaderChanged(RaftPeerId leader) {
    events.execute(() -> handleLeaderChange(leader == null ? null : leader.toString()));
  }

  @Override
  public void onLeaderReady() {
    events.execute(cutter::leaderReady);
  }

  @Override
  public void onLeadershipLost() {
    // Unless the next leader is already known (it was named first when a newer term deposed this one).
    events.execute(() -> {
      if (leaderPeer != null && leaderId() == nodeId()) {
        handleLeaderChange(null);
      }
    });
  }

  /** Whether Ratis already accepts proposals from this leader (its first entry of the term is committed). */
  private boolean leaderReadyNow() {
    RaftServer s = server;
    try {
      return s != null && s.getDivision(groupId).getInfo().isLeaderReady();
    } catch (IOException e) {
      return false;
    }
  }

  private void handleLeaderChange(String leaderPeerId) {
    if (java.util.Objects.equals(leaderPeerId, leaderPeer)) {
      return;
    }
    int old = leaderId();
    leaderPeer = leaderPeerId;
    int now = leaderId();
    int nodeId = nodeId();
    long term = term();
    formerLeaderTerm = leaderTerm;
    leaderTerm = now != 0 ? term : 0;
    if (now == nodeId) {
      LOG.info("{} became leader at term {} {}", nodeId, term, logSuffix());
    }
    if (now != 0) {
      LOG.info("raft.node: {} elected leader {} at term {} {}", nodeId, now, term, logSuffix());
      metrics.leaderChanges.labelValues(channelId()).inc();
    } else {
      LOG.info("raft.node: {} lost leader {} at term {} {}", nodeId, old, term, logSuffix());
    }
    LOG.info("Raft leader changed: {} -> {} {}", old, now, logSuffix());
    metrics.isLeader.labelValues(channelId()).set(now == nodeId ? 1 : 0);
    metrics.term.labelValues(channelId()).set(term);
    if (now == nodeId) {
      handingOff = false;
      cutter.becomeLeader(leaderReadyNow());
    } else if (old == nodeId && now == 0) {
      cutter.stepDown("orderer " + old + " stopped leading channel " + channelId() + " (term " + term
          + ") and no new Raft leader is known yet; the transaction was not ordered, retry it");
    } else if (old == nodeId) {
      cutter.stepDown("the Raft leader changed from " + old + " to " + now + " on channel " + channelId()
          + "; the transaction was not ordered, retry it");
    }
    List<Consumer<Integer>> listeners;
    synchronized (this) {
      listeners = List.copyOf(leaderListeners);
    }
    listeners.forEach(l -> l.accept(old));
    CompletableFuture<Void> handled = nextLeaderChange;
    nextLeaderChange = new CompletableFuture<>();
    handled.complete(null);
  }

  /** Refreshes the gauges that Raft does not push (active nodes, term); called periodically. */
  public void refreshGauges(long activeWindowMillis) {
    this.activeWindowMillis = activeWindowMillis;
    RaftServer s = server;
    if (s == null) {
      return;
    }
    try {
      var info = s.getDivision(groupId).getInfo();
      metrics.term.labelValues(channelId()).set(info.getCurrentTerm());
      if (info.isLeader()) {
        long active = 1 + info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
            .filter(f -> f.getLastRpcElapsedTimeMs() <= activeWindowMillis).count();
        metrics.activeNodes.labelValues(channelId()).set(active);
      } else {
        metrics.activeNodes.labelValues(channelId()).set(0);
      }
      var snapshot = stateMachine.getLatestSnapshot();
      if (snapshot != null) {
        metrics.snapshotBlockNumber.labelValues(channelId()).set(snapshot.getIndex());
      }
    } catch (IOException | RuntimeException e) {
      // The division is gone (shutting down); nothing to refresh.
    }
  }

  /**
   * Makes the blocks written since the last call durable (one fsync for all of them; none when
   * there are none). Blocks are applied without an fsync each: the Raft log already holds them
   * durably, and this bounds what a power loss leaves to replay from it.
   */
  public void syncLedger() {
    try {
      ledger.syncAppended();
    } catch (ClosedChannelException e) {
      // the channel was removed or the orderer is stopping: closing the ledger synced it
    } catch (IOException e) {
      // Not fatal: the Raft log still holds these blocks, and the snapshot syncs before any purge.
      LOG.error("Cannot sync the ledger: {} {}", e.getMessage(), logSuffix());
    }
  }

  /** The header hash of the last block, hex. */
  public String lastBlockHashHex() {
    return HexFormat.of().formatHex(ledger.lastHeaderHash());
  }

  @Override
  public void close() throws IOException {
    cutter.stepDown("orderer is shutting down");
    events.shutdownNow();
    outcomes.shutdown();
    ledger.close();
  }
}
