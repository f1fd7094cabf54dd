package io.raftswarm.orderer;

import io.grpc.Status;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.status.LeaderLossLog;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.common.tls.UpdatableTrust;
import io.raftswarm.orderer.broadcast.ForwardingRules;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.chain.ChainRuntime;
import io.raftswarm.orderer.chain.Chains;
import io.raftswarm.orderer.chain.ConsenterIds;
import io.raftswarm.orderer.cluster.ClusterBlockPuller;
import io.raftswarm.orderer.cluster.EndpointOwners;
import io.raftswarm.orderer.cluster.LeaderWatch;
import io.raftswarm.orderer.config.ConsenterPlacement;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.ops.OrdererMetrics;
import io.raftswarm.orderer.participation.ChannelInfo;
import io.raftswarm.orderer.participation.ChannelRegistrar;
import io.raftswarm.orderer.participation.JoinBlocks;
import io.raftswarm.orderer.participation.JoinedChannels;
import io.raftswarm.orderer.participation.ParticipationException.Failure;
import io.raftswarm.orderer.participation.ParticipationException;
import io.raftswarm.orderer.raft.LeaderSilence;
import io.raftswarm.orderer.raft.LogCacheEviction;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels one orderer serves: each a {@link Chain} (ledger + Raft group) with its block
 * puller and forwarding hooks. Channels are opened at start from the bootstrap blocks and the
 * ledgers of channels joined earlier, and joined or removed at run time through the channel
 * participation API.
 *
 * <p>Every channel shares the orderer's one Ratis server, whose TLS trust and entry size limit are
 * fixed when it starts; a channel that needs more (another orderer org's TLS CA, larger blocks) is
 * refused with what to do, rather than joined and then failing to replicate.
 */
final class OrdererChannels implements ChannelRegistrar {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.multichannel");
  /**
   * Between one successor's campaign and the next's: long enough for the first candidate's vote
   * requests to reach the others on a loaded host (they then follow no leader, and skip theirs).
   * 150 ms was too short on the lab under load: a first-time candidate opened its Raft connections
   * (TLS handshakes) while campaigning, a later one started too, and the vote split. 300 ms was
   * too short as well (lab kill-leader drills, 2026-12-07): the first candidate's vote requests
   * took 300-450 ms to reach the second in 3 of 10 failovers, which then ran for the same term,
   * and once the vote split and the next round waited out a 1 s election timeout. The longer wait
   * costs only when the first successor does not campaign at all: when it campaigns and loses,
   * the next one has seen its term and leaves it to the election timeout anyway.
   */
  static final Duration SUCCESSION_STEP = Duration.ofMillis(600);
  /** Successors after these leave it to the election timeout (0.6-1.8 s by default), which is as soon. */
  static final int CAMPAIGNING_SUCCESSORS = 3;
  /** How far short of the leader silence a scheduled second look may find it and still count it. */
  static final long SILENCE_TOLERANCE_MILLIS = 20;
  /** How often endpoints whose owner is still unknown are probed again. */
  static final Duration RELEARN = Duration.ofSeconds(10);

  /**
   * What every channel needs from the orderer around it.
   *
   * @param clientTrust the client-facing port's trust: the configured roots plus the TLS CAs of
   *     every org of the channels served, following joins, removals and config blocks
   * @param configuredRoots ORDERER_GENERAL_TLS_ROOTCAS
   * @param placement which machine each consenter runs on, for the leader's place (ORDERER_CONSENSUS_PLACEMENTFILE)
   * @param cutWhenIdle ORDERER_CONSENSUS_CUTWHENIDLE, for each channel's block cutter
   * @param leaderSilence how long a leader whose host stopped acknowledging must also be silent in Raft to count as cut off
   */
  record Context(Path ledgerDir, X509Certificate tlsCertificate, SigningIdentity signer, TlsMaterial tls,
      OrdererMetrics metrics, ChainRuntime runtime, ForwardingRules forwarding, UpdatableTrust clientTrust,
      List<X509Certificate> configuredRoots, ConsenterPlacement placement, boolean cutWhenIdle, LeaderSilence leaderSilence) {}

  /** The running Ratis server, this orderer's peer id in it and the orderer TLS CAs its cluster port trusts (fixed at start); set once it started. */
  record RunningRaft(RaftServer server, RaftPeerId self, Set<X509Certificate> trustedOrdererRoots) {}

  private final Context context;
  private final JoinedChannels stored;
  private final Map<String, Chain> chains = new ConcurrentSkipListMap<>();
  private final Map<RaftGroupId, Chain> byGroup = new ConcurrentHashMap<>();
  private final Map<String, ClusterBlockPuller> pullers = new ConcurrentHashMap<>();
  private final Map<String, Block> bootstrap = new ConcurrentHashMap<>();
  private final Set<String> removing = ConcurrentHashMap.newKeySet();
  private final AtomicLong callIds = new AtomicLong(1);
  /** When each channel's endpoint owners were last probed (System.nanoTime). */
  private final Map<String, Long> lastLearned = new ConcurrentHashMap<>();
  private final EndpointOwners endpointOwners;
  private final LeaderWatch leaderWatch;
  private volatile RunningRaft raft;

  OrdererChannels(Context context) {
    this.context = context;
    this.stored = new JoinedChannels(context.ledgerDir());
    this.leaderWatch = new LeaderWatch(context.tls(), context.leaderSilence().unacknowledged(),
        context.runtime().scheduler(), this::leaderLost);
    this.endpointOwners = new EndpointOwners(TlsContexts.jdkContext(context.tls()), Duration.ofSeconds(2));
  }

  /** Opens a channel before the Raft server starts; {@code fromBootstrap} marks the bootstrap directory's channels. */
  Chain open(ChannelConfig channel, Block genesis, boolean fromBootstrap) throws IOException {
    String id = channel.channelId();
    ClusterBlockPuller puller = new ClusterBlockPuller(() -> Optional.ofNullable(chains.get(id)).map(Chain::config).orElse(channel),
        ConsenterIds.selfPeerId(channel, context.tlsCertificate()), context.tls());
    Chain chain;
    try {
      chain = Chains.open(channel, genesis, context.ledgerDir(), context.tlsCertificate(), context.signer(),
          context.metrics(), context.runtime(), puller, context.placement(), context.cutWhenIdle());
    } catch (IOException | RuntimeException e) {
      puller.close();
      throw e;
    }
    pullers.put(channel.channelId(), puller);
    chains.put(channel.channelId(), chain);
    byGroup.put(chain.groupId(), chain);
    if (fromBootstrap) {
      bootstrap.put(channel.channelId(), genesis);
    }
    chain.onLeaderChange(old -> {
      context.forwarding().leaderChanged(chain, old);
      leaderWatch.watch(chain.channelId(), chain.leaderId() == chain.nodeId() ? Optional.empty() : chain.leaderEndpoint());
    });
    chain.onEvicted(() -> leave(chain));
    context.forwarding().channelOpened(chain.config(), chain.nodeId());
    return chain;
  }

  /** The chain whose Raft group Ratis asks a state machine for, or null. */
  Chain byGroup(RaftGroupId group) {
    return byGroup.get(group);
  }

  /** Called once the Ratis server runs: joins after this create their Raft group on it. */
  void raftStarted(RunningRaft running) {
    this.raft = running;
  }

  /** Creates the Raft group of a channel on the running server (a new channel, or one joined). */
  void createGroup(Chain chain) throws IOException {
    RunningRaft r = raft;
    RaftClientReply reply = r.server().groupManagement(
        GroupManagementRequest.newAdd(ClientId.randomId(), r.self(), callIds.getAndIncrement(), chain.group()));
    if (!reply.isSuccess()) {
      throw new IOException("cannot create the Raft group of channel " + chain.channelId() + ": " + reply.getException());
    }
    chain.raftStarted();
  }

  Chain get(String channelId) {
    return chains.get(channelId);
  }

  Collection<Chain> all() {
    return chains.values();
  }

  Set<String> names() {
    return chains.keySet();
  }

  @Override
  public List<ChannelInfo> channels() {
    return chains.values().stream().map(OrdererChannels::info).toList();
  }

  @Override
  public Optional<ChannelInfo> channel(String channelId) {
    return Optional.ofNullable(chains.get(channelId)).map(OrdererChannels::info);
  }

  private static ChannelInfo info(Chain chain) {
    return new ChannelInfo(chain.channelId(), "consenter", "active", chain.ledger().height());
  }

  @Override
  public synchronized ChannelInfo join(JoinBlocks.JoinBlock join) throws ParticipationException {
    String id = join.channelId();
    ChannelConfig channel = join.config();
    if (removing.contains(id)) {
      throw new ParticipationException(Failure.PENDING_REMOVAL, null);
    }
    if (chains.containsKey(id)) {
      throw new ParticipationException(Failure.ALREADY_EXISTS, null);
    }
    RunningRaft r = raft;
    if (r == null) {
      throw new ParticipationException(Failure.BAD_REQUEST, "the orderer is still starting; retry in a moment");
    }
    if (ConsenterIds.consenterId(channel, context.tlsCertificate()) == 0) {
      throw new ParticipationException(Failure.BAD_REQUEST, "this orderer's TLS certificate ("
          + context.tlsCertificate().getSubjectX500Principal().getName() + ") is not among the consenters of channel " + id
          + "; raftswarm orderers only join channels as consenters (no follower channels yet)");
    }
    OrdererMemory memory = OrdererMemory.ofThisJvm();
    if (!memory.fits(channel.batch().absoluteMaxBytes())) {
      throw new ParticipationException(Failure.BAD_REQUEST, "channel " + id + ": "
          + memory.shortfall(channel.batch().absoluteMaxBytes()) + "; give the orderers more memory (inventory"
          + " resources.ordererMemory, then provision) or create the channel with a lower AbsoluteMaxBytes");
    }
    Set<X509Certificate> roots = new HashSet<>();
    channel.ordererOrgs().stream().map(OrgMsp::tlsRootCerts).forEach(roots::addAll);
    if (!r.trustedOrdererRoots().containsAll(roots)) {
      throw new ParticipationException(Failure.BAD_REQUEST, "channel " + id + " has an orderer org whose TLS CA this"
          + " orderer's Raft port does not trust yet (its trust is fixed at start: ORDERER_GENERAL_TLS_ROOTCAS and the"
          + " orgs of the channels served then); add that CA to ORDERER_GENERAL_TLS_ROOTCAS or put the block into"
          + " ORDERER_GENERAL_BOOTSTRAPDIR, and restart the orderer");
    }
    Block genesis = join.block();
    if (join.block().getHeader().getNumber() != 0) {
      try {
        genesis = onboard(join);
      } catch (IOException | RuntimeException e) {
        deleteLedgerQuietly(id);
        throw new ParticipationException(Failure.BAD_REQUEST, "cannot onboard channel " + id + " from config block ["
            + join.block().getHeader().getNumber() + "]: " + e.getMessage() + "; the consenters named in that block must"
            + " run and have ordered it");
      }
    }
    Chain chain;
    try {
      chain = open(channel, genesis, false);
    } catch (IOException | RuntimeException e) {
      deleteLedgerQuietly(id);
      throw new ParticipationException(Failure.BAD_REQUEST, "cannot open the ledger of channel " + id + ": " + e.getMessage());
    }
    try {
      chain.attachTo(r.server());
      createGroup(chain);
      stored.clearRemoved(id);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Join of channel {} failed, undoing it: {}", id, e.getMessage());
      // Ratis may keep a division whose start failed; a later join could not create it again.
      try {
        LogCacheEviction.stopBeforeClose(r.server(), chain.groupId());
        r.server().groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), r.self(), callIds.getAndIncrement(),
            chain.groupId(), true, false));
      } catch (IOException | RuntimeException cleanup) {
        LOG.debug("No Raft group of {} to remove after the failed join: {}", id, cleanup.getMessage());
      }
      forget(id);
      deleteLedgerQuietly(id);
      throw new ParticipationException(Failure.BAD_REQUEST, e.getMessage());
    }
    refreshClientTrust();
    LOG.info("Joined channel {} as consenter {} through the channel participation API; starting raft node as part of a new channel",
        id, chain.nodeId());
    return info(chain);
  }

  /**
   * Onboarding, as Fabric's follower does before it becomes a consenter: pulls the channel's blocks
   * from the consenters the join block names, up to where they are now, and checks that the join
   * block is in that chain. Returns the genesis block of the pulled ledger.
   */
  private Block onboard(JoinBlocks.JoinBlock join) throws IOException {
    String id = join.channelId();
    long number = join.block().getHeader().getNumber();
    LOG.info("Onboarding channel {} from config block [{}]: pulling its blocks from the consenters", id, number);
    java.nio.file.Path dir = context.ledgerDir().resolve("chains").resolve(id);
    if (java.nio.file.Files.exists(dir)) {
      throw new IOException("a ledger of channel " + id + " is already in " + dir + "; remove it first");
    }
    // Pulled next to the ledgers and moved in whole: a crash mid-pull leaves no ledger that a
    // restart would open as a channel this orderer is not yet a consenter of.
    java.nio.file.Path staging = context.ledgerDir().resolve("onboarding").resolve(id);
    io.raftswarm.common.files.FileTrees.deleteRecursively(staging);
    Block genesis = pullInto(staging, join);
    java.nio.file.Files.createDirectories(dir.getParent());
    java.nio.file.Files.move(staging, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return genesis;
  }

  private Block pullInto(java.nio.file.Path dir, JoinBlocks.JoinBlock join) throws IOException {
    String id = join.channelId();
    long number = join.block().getHeader().getNumber();
    try (ClusterBlockPuller puller = new ClusterBlockPuller(join::config,
        ConsenterIds.selfPeerId(join.config(), context.tlsCertificate()), context.tls());
        BlockStore ledger = BlockStore.open(dir)) {
      long start = System.nanoTime();
      puller.pull(null, -1, ledger);
      if (ledger.height() <= number || !java.util.Arrays.equals(BlockHashing.headerHash(ledger.block(number).getHeader()),
          BlockHashing.headerHash(join.block().getHeader()))) {
        throw new IOException("the consenters' chain (height " + ledger.height() + ") does not hold this join block as"
            + " block [" + number + "]");
      }
      ledger.sync();
      LOG.info("Onboarded channel {}: pulled blocks [0..{}] in {} ms", id, ledger.height() - 1,
          (System.nanoTime() - start) / 1_000_000);
      return ledger.block(0);
    } catch (Exception e) {
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private void deleteLedgerQuietly(String channelId) {
    try {
      stored.deleteLedger(channelId);
    } catch (IOException cleanup) {
      LOG.warn("Cannot delete the ledger of the failed join of {}: {}", channelId, cleanup.getMessage());
    }
  }

  /**
   * A config block removed this orderer from the channel's consenters: it leaves the channel as
   * {@code osnadmin channel remove} would (a leader hands off first), so it neither campaigns nor
   * serves a chain it no longer follows. The other consenters keep the blocks; to come back, add it
   * as a consenter again and join it with the newest config block.
   */
  private void leave(Chain chain) {
    if (chains.get(chain.channelId()) != chain) {
      return;
    }
    try {
      remove(chain.channelId());
    } catch (ParticipationException e) {
      LOG.warn("Could not leave channel {} after being removed from its consenters: {}", chain.channelId(), e.getMessage());
    }
  }

  @Override
  public void remove(String channelId) throws ParticipationException {
    Chain chain;
    synchronized (this) {
      chain = chains.get(channelId);
      if (chain == null) {
        throw new ParticipationException(removing.contains(channelId) ? Failure.PENDING_REMOVAL : Failure.NOT_EXIST, null);
      }
      if (!removing.add(channelId)) {
        throw new ParticipationException(Failure.PENDING_REMOVAL, null);
      }
    }
    try {
      RunningRaft r = raft;
      // A leader hands off first, as on a graceful stop: the others go on at once instead of
      // waiting out an election timeout, and Ratis removes a follower division, not a leading one
      // (removing the leading one once left an appender running and the orderer's stop hanging).
      chain.handOffLeadership(Duration.ofSeconds(2));
      if (r != null) {
        LogCacheEviction.stopBeforeClose(r.server(), chain.groupId());
        RaftClientReply reply = r.server().groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), r.self(),
            callIds.getAndIncrement(), chain.groupId(), true, false));
        if (!reply.isSuccess()) {
          throw new IOException("Ratis refused to remove the group: " + reply.getException());
        }
      }
      forget(channelId);
      Block genesis = bootstrap.remove(channelId);
      if (genesis != null) {
        stored.markRemoved(channelId, genesis);
      }
      stored.deleteLedger(channelId);
      refreshClientTrust();
      LOG.info("Removed channel {}: its Raft node stopped, ledger and WAL deleted", channelId);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Removal of channel {} failed: {}", channelId, e.getMessage());
      throw new ParticipationException(Failure.REMOVAL_FAILURE, e.getMessage());
    } finally {
      removing.remove(channelId);
    }
  }

  /**
   * The stream to a channel's leader broke. Closed: its process is gone. Unacknowledged: its host
   * took nothing this node sent for {@link LeaderSilence#unacknowledged()}, which a slow network
   * does as well, so it counts only once the leader has also been silent in Raft for
   * {@link Context#leaderSilence} (a cut-off leader's heartbeats stop; a slow network's arrive late),
   * and only on the leader's own machine: across machines a partition looks the same, and a
   * follower on the minority side that campaigned without Raft's pre-vote would raise the term
   * and depose the majority's leader when the partition heals.
   */
  private void leaderLost(String channelId, String endpoint, Status status, LeaderWatch.Break how) {
    String detail = status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
    if (how == LeaderWatch.Break.UNACKNOWLEDGED) {
      confirmCutOff(channelId, endpoint, detail, false);
    } else {
      campaignAfterLoss(channelId, endpoint, false, "Lost the connection to", LeaderLossLog.connectionClosed(endpoint) + ": " + detail);
    }
  }

  /**
   * Campaigns for a leader whose host stopped acknowledging once it has been silent in Raft long
   * enough: now, or after one more look when the silence is still short ({@code lookedBefore}).
   */
  private void confirmCutOff(String channelId, String endpoint, String detail, boolean lookedBefore) {
    Chain chain = followingLeaderAt(channelId, endpoint).orElse(null);
    if (chain == null) {
      return;
    }
    int leader = chain.leaderId();
    long limit = context.leaderSilence().unacknowledged().toMillis();
    if (!chain.sharesMachineWith(leader)) {
      if (!lookedBefore) {
        LOG.info("The host of leader {} of channel {} at {} acknowledged nothing for {} ms; it runs on another machine,"
            + " where a partition looks the same: leaving it to the election timeout", leader, channelId, endpoint, limit);
      }
      return;
    }
    OptionalLong silent = chain.millisSinceLeaderSpoke();
    if (silent.isEmpty()) {
      return; // no longer following it: an election runs already
    }
    boolean preferred = chain.preferredLeaders().contains(leader);
    long remaining = context.leaderSilence().remainingMillis(preferred, silent.getAsLong());
    // A re-check scheduled for the end of the silence may find it a few ms short (clock granularity).
    if (remaining == 0 || lookedBefore && remaining <= SILENCE_TOLERANCE_MILLIS) {
      campaignAfterLoss(channelId, endpoint, true, "Cut off from", LeaderLossLog.unacknowledged(endpoint, limit)
          + " and leader " + leader + " has sent nothing for " + silent.getAsLong() + " ms: " + detail);
    } else if (lookedBefore) {
      LOG.info("The host of leader {} of channel {} at {} acknowledged nothing for {} ms, but the leader's Raft messages"
          + " still arrive (the last {} ms ago): a slow network, not a lost leader", leader, channelId, endpoint,
          limit, silent.getAsLong());
    } else {
      context.runtime().scheduler().schedule(() -> confirmCutOff(channelId, endpoint, detail, true), remaining,
          TimeUnit.MILLISECONDS);
    }
  }

  /** The channel's chain while this node follows a leader at {@code endpoint}: not when it leads, or the leader moved. */
  private Optional<Chain> followingLeaderAt(String channelId, String endpoint) {
    Chain chain = chains.get(channelId);
    if (chain == null) {
      return Optional.empty();
    }
    int leader = chain.leaderId();
    return leader == 0 || leader == chain.nodeId() || !chain.endpointOf(leader).equals(Optional.of(endpoint))
        ? Optional.empty() : Optional.of(chain);
  }

  /**
   * The leader at {@code endpoint} is gone ({@code lostHow} and {@code evidence} say how we know). The followers
   * campaign one after another in succession order ({@link Chain#successionRank}; among those on the
   * leader's machine when only they can know, {@code onItsMachine}), each only if no election
   * started meanwhile, so the first usually wins without a split vote; Raft's own election timeout
   * remains the fallback.
   */
  private void campaignAfterLoss(String channelId, String endpoint, boolean onItsMachine, String lostHow, String evidence) {
    Chain chain = followingLeaderAt(channelId, endpoint).orElse(null);
    if (chain == null) {
      return;
    }
    int lost = chain.leaderId();
    // A later successor's campaign runs only while this node still follows that leader in this
    // term: by then the same orderer may lead again (a restart, a hand-off back to it).
    long term = chain.term();
    context.forwarding().leaderLost(channelId, endpoint);
    int rank = onItsMachine ? chain.successionRankOnItsMachine(lost) : chain.successionRank(lost);
    LOG.info("{} leader {} of channel {} ({}); {}", lostHow, lost, channelId, evidence,
        rank == 0 ? "campaigning now"
            : rank < CAMPAIGNING_SUCCESSORS ? "campaigning in " + rank * SUCCESSION_STEP.toMillis() + " ms unless another consenter has by then"
            : "leaving the election to the consenters before this one, or to the election timeout");
    if (rank >= CAMPAIGNING_SUCCESSORS) {
      return;
    }
    if (rank == 0) {
      // At once, on this thread (gRPC's or the scheduler's): the election must not queue behind batch timers.
      chain.electAfterLeaderLoss(lost, term, evidence);
      return;
    }
    context.runtime().scheduler().schedule(() -> chain.electAfterLeaderLoss(lost, term, evidence),
        rank * SUCCESSION_STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Makes the client-facing port trust the configured roots and the TLS CAs of every org of the
   * channels served now, as Fabric's orderer does on a join or a config block.
   */
  void refreshClientTrust() {
    Set<X509Certificate> roots = clientRoots(context.configuredRoots(), chains.values().stream().map(Chain::config).toList());
    if (!roots.isEmpty() && context.clientTrust().trustOnly(roots)) {
      LOG.info("Client TLS trust follows the channels {}: {} root CA(s)", chains.keySet(), roots.size());
    }
  }

  /** What the client port trusts: {@code configured} (ORDERER_GENERAL_TLS_ROOTCAS) and the TLS CAs of every org of {@code channels}. */
  static Set<X509Certificate> clientRoots(List<X509Certificate> configured, Collection<ChannelConfig> channels) {
    Set<X509Certificate> roots = new LinkedHashSet<>(configured);
    for (ChannelConfig config : channels) {
      config.ordererOrgs().stream().map(OrgMsp::tlsRootCerts).forEach(roots::addAll);
      config.applicationOrgs().stream().map(OrgMsp::tlsRootCerts).forEach(roots::addAll);
    }
    return roots;
  }

  /**
   * Learns whose the orderer endpoints are that a channel's config ties to no consenter, or only
   * by a guess ({@link EndpointOwners}): again after a config change, and every {@link #RELEARN}
   * while a consenter's is still unknown (it may not have run yet). May block on probes.
   */
  void learnEndpoints() {
    long now = System.nanoTime();
    for (Chain chain : chains.values()) {
      ChannelConfig config = chain.config();
      if (!EndpointOwners.needed(config)) {
        continue;
      }
      Long last = lastLearned.get(chain.channelId());
      boolean allLearned = config.consenters().stream()
          .allMatch(c -> c.id() == chain.nodeId() || chain.learnedEndpoint(c.id()).isPresent());
      if (chain.endpointsLearnedUnder() == config && last != null && (allLearned || now - last < RELEARN.toNanos())) {
        continue;
      }
      Map<Integer, String> owners = endpointOwners.learn(config);
      lastLearned.put(chain.channelId(), now);
      boolean first = chain.endpointsLearnedUnder() != config;
      boolean news = owners.entrySet().stream().anyMatch(e -> !chain.endpointOf(e.getKey()).equals(Optional.of(e.getValue())));
      chain.learnedEndpoints(config, owners);
      if (first || news) {
        LOG.info("Orderer endpoints of channel {} by the TLS certificate each presents (its config does not tie them to"
            + " consenters for sure): {}", chain.channelId(), owners.isEmpty() ? "none answered yet" : owners);
      }
    }
  }

  /** Drops a channel from the maps and closes its chain and puller. */
  private void forget(String channelId) {
    leaderWatch.watch(channelId, Optional.empty());
    Chain chain = chains.remove(channelId);
    ClusterBlockPuller puller = pullers.remove(channelId);
    if (puller != null) {
      puller.close();
    }
    if (chain != null) {
      byGroup.remove(chain.groupId());
      try {
        chain.close();
      } catch (IOException e) {
        LOG.warn("Ledger of channel {} did not close cleanly: {}", channelId, e.getMessage());
      }
    }
  }

  void closeAll() {
    leaderWatch.close();
    pullers.values().forEach(ClusterBlockPuller::close);
    for (Chain chain : chains.values()) {
      try {
        chain.close();
      } catch (IOException e) {
        LOG.warn("Ledger of channel {} did not close cleanly: {}", chain.channelId(), e.getMessage());
      }
    }
  }
}
