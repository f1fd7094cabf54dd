package io.raftswarm.orderer.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.raftswarm.common.fabric.AliasedProtos;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.ledger.LedgerConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of one channel: a committed entry is a batch of envelopes
 * ({@code common.BlockData}) cut by the leader; applying it appends the next block to the ledger.
 *
 * <p>Determinism: the block number is the ledger height and the previous hash the last block's
 * header hash, both derived from the ledger, never from the Raft index (Ratis also commits
 * configuration entries). Envelopes whose dedup key (txId, or hash when there is none) is already
 * in the {@link DedupWindow} or earlier in the same entry are dropped;
 * an entry left empty produces no block. So every orderer derives the same chain from the same log.
 *
 * <p>A batch larger than one Raft entry arrives as consecutive fragments ({@link EntryFragments});
 * the block is written when the last one is applied, and snapshots and cuts stay before the first
 * until then.
 *
 * <p>Idempotency: each block stores the Raft index of its entry (ORDERER metadata); an entry at
 * or below the last block's index is already in the ledger and is skipped. After a restart Ratis
 * replays from the snapshot, which may be far behind the ledger.
 *
 * <p>Threading: Ratis calls {@code applyTransaction}, {@code notifyTermIndexUpdated} and
 * {@code takeSnapshot} from its single state-machine updater thread; everything that touches the
 * ledger or the applied position holds {@code lock}. Deliver streams waiting for a new block are
 * woken on that apply thread, by the ledger append itself ({@link BlockStore#append}); the
 * metrics and logs of the block run on {@code notifier}, off it. Catch-up runs on
 * {@code catchUpExecutor}; leader changes go to the {@link Listener}, which must not block.
 *
 * <p>Catch-up: install-snapshot is disabled, so a follower whose missing entries were purged by
 * the leader gets {@link #notifyInstallSnapshotFromLeader}; it pulls the blocks from another
 * orderer ({@link BlockPuller}) and resumes Raft at that orderer's {@link ConsistentCut}.
 */
public final class ChannelStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.consensus.etcdraft");

  /** Receives the events of the state machine; implementations must return quickly. */
  public interface Listener {
    /** A block was appended (on the notifier executor). */
    void onBlockWritten(Block block, long raftIndex, long persistNanos);

    /** The Raft leader changed (on a Ratis thread); {@code leader} is null when there is none. */
    void onLeaderChanged(RaftPeerId leader);

    /** This node, the leader, committed its first entry of the term and accepts proposals (on a Ratis thread). */
    default void onLeaderReady() {}

    /**
     * This node stopped leading (on a Ratis thread). Ratis names no leader then
     * ({@link #onLeaderChanged} comes only with the next one), but this node no longer accepts
     * proposals.
     */
    default void onLeadershipLost() {}

    /**
     * A config block was written (on the apply thread, before the next block is applied), or a
     * catch-up brought a newer config: it is in force from now on.
     */
    default void onConfigCommitted(long blockNumber, Config config) {}
  }

  /** The reply to a proposal whose config envelope was not applied; the rest of the reply says why. */
  public static final String REJECTED = "rejected: ";
  /** The answer to a batch whose every transaction was already ordered: no block was written. */
  public static final String ALL_DUPLICATES = "duplicates";

  /** Whether a committed proposal's reply says it wrote no block (all duplicates, or a config update refused). */
  public static boolean wroteNoBlock(String reply) {
    return reply != null && (reply.equals(ALL_DUPLICATES) || reply.startsWith(REJECTED));
  }

  private final String channelId;
  private final String node;
  private final BlockStore ledger;
  private final DedupWindow window;
  private final SigningIdentity signer;
  /** Consenter ids of the config in force (1..N), recorded in each block's etcdraft metadata. */
  private List<Long> consenterIds = List.of();
  private final Listener listener;
  private final Executor notifier;
  private final Executor catchUpExecutor;
  private final BlockPuller puller;
  private final LongSupplier nanoClock;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Object lock = new Object();
  /** Raft index of the entry that produced the ledger's last block (0 for the genesis block). */
  private long ledgerRaftIndex;
  /** Raft term of that entry as applied by this state machine; 0 when unknown (from before it started, or pulled). */
  private volatile long ledgerTerm;
  /** The config in force: its block and sequence. A config envelope must carry sequence + 1 to apply. */
  private LedgerConfig config;
  private CompletableFuture<TermIndex> catchUp;
  /** Fragments of a batch larger than one Raft entry, joined as they are applied. */
  private final FragmentAssembly fragments = new FragmentAssembly();
  /** The last finished catch-up until Ratis resumes this node from it (reinitialize), else null. */
  private volatile Unacknowledged unacknowledged;
  private volatile boolean closed;

  public ChannelStateMachine(String channelId, int nodeId, BlockStore ledger, DedupWindow window, SigningIdentity signer,
      Listener listener, Executor notifier, Executor catchUpExecutor, BlockPuller puller,
      LongSupplier nanoClock) {
    this.channelId = channelId;
    this.node = "channel=" + channelId + " node=" + nodeId;
    this.ledger = ledger;
    this.window = window;
    this.signer = signer;
    this.listener = listener;
    this.notifier = notifier;
    this.catchUpExecutor = catchUpExecutor;
    this.puller = puller;
    this.nanoClock = nanoClock;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().transition(LifeCycle.State.STARTING);
    synchronized (lock) {
      ledgerRaftIndex = OrdererMetadata.raftIndex(ledger.lastBlock());
      setConfig(LedgerConfig.of(ledger));
      window.rebuild(ledger);
      loadSnapshot();
    }
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Restores the applied position from the latest snapshot marker; the ledger must reach at least as far. */
  private void loadSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    SnapshotMarker marker = SnapshotMarker.read(snapshot.getFile().getPath());
    if (ledger.height() < marker.height()) {
      throw new IOException("channel " + channelId + ": the ledger holds " + ledger.height() + " blocks but the Raft"
          + " snapshot " + snapshot.getFile().getPath() + " says " + marker.height() + "; the ledger directory was lost"
          + " while the Raft WAL survived. Remove the channel's WAL directory too, and the orderer will pull the chain"
          + " from the others");
    }
    byte[] hash = BlockHashing.headerHash(ledger.block(marker.height() - 1).getHeader());
    if (!Arrays.equals(hash, marker.lastHash())) {
      throw new IOException("channel " + channelId + ": block [" + (marker.height() - 1) + "] in the ledger hashes to "
          + HexFormat.of().formatHex(hash) + " but the Raft snapshot recorded " + HexFormat.of().formatHex(marker.lastHash())
          + "; the ledger does not belong to this Raft log. Remove the channel's ledger and WAL directories to resync");
    }
    setLastAppliedTermIndex(TermIndex.valueOf(marker.appliedTerm(), marker.appliedIndex()));
  }

  private void setConfig(LedgerConfig inForce) {
    config = inForce;
    try {
      int consenters = ChannelConfigs.fromConfig(channelId, inForce.config()).consenters().size();
      consenterIds = java.util.stream.LongStream.rangeClosed(1, consenters).boxed().toList();
    } catch (IllegalArgumentException e) {
      // Every node reads the same config alike, so keeping the previous ids keeps replicas identical.
      LOG.error("Cannot read the consenters of config block [{}]: {} {}", inForce.blockNumber(), e.getMessage(), node);
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    long term = entry.getTerm();
    Block written = null;
    long persistNanos = 0;
    synchronized (lock) {
      if (index <= ledgerRaftIndex) {
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf("replayed"));
      }
      var data = entry.getStateMachineLogEntry().getLogData();
      FragmentAssembly.Step step;
      try {
        TermIndex applied = getLastAppliedTermIndex();
        step = fragments.apply(EntryFragments.parse(data), applied == null ? TermIndex.INITIAL_VALUE : applied);
      } catch (IllegalArgumentException e) {
        LOG.error("Skipping Raft entry {}: {} {}", index, e.getMessage(), node);
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf("skipped"));
      }
      step.abandoned().ifPresent(why -> LOG.warn("Dropped an incomplete batch at Raft index {}: {} (its leader lost"
          + " leadership between fragments; its transactions were never acknowledged) {}", index, why, node));
      if (step.batch().isPresent()) {
        data = step.batch().get();
      } else if (EntryFragments.isFragment(data)) {
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf("fragment"));
      }
      BlockData batch;
      try {
        // A copy this thread owns (Ratis may hand entries over in pooled buffers); the envelopes are views of it.
        batch = AliasedProtos.parse(BlockData.parser(), UnsafeByteOperations.unsafeWrap(data.toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        // Only our own leader proposes entries, so this is a bug; skipping keeps replicas identical.
        LOG.error("Skipping Raft entry {} that is not a batch of envelopes: {} {}", index, e.getMessage(), node);
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf("skipped"));
      }
      List<ByteString> envelopes = new ArrayList<>(batch.getDataCount());
      List<String> keys = new ArrayList<>(batch.getDataCount());
      Set<String> inBatch = new HashSet<>(batch.getDataCount() * 2);
      for (ByteString envelope : batch.getDataList()) {
        String key = DedupWindow.key(envelope);
        if (window.contains(key) || !inBatch.add(key)) {
          continue;
        }
        envelopes.add(envelope);
        keys.add(key);
      }
      if (envelopes.isEmpty()) {
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf(ALL_DUPLICATES));
      }
      long number = ledger.height();
      Config newConfig = envelopes.size() == 1 ? ChannelConfigs.configInEnvelope(envelopes.get(0)).orElse(null) : null;
      if (newConfig != null && newConfig.getSequence() != config.config().getSequence() + 1) {
        // Validated against a config that another update replaced meanwhile: every node skips it alike.
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(Message.valueOf(REJECTED + "the channel config changed while this update"
            + " was ordered (its sequence is " + newConfig.getSequence() + ", the channel is at "
            + config.config().getSequence() + "); fetch the config again and resubmit"));
      }
      long lastConfig = newConfig != null ? number : config.blockNumber();
      Block block = Blocks.build(number, ledger.lastHeaderHash(), envelopes);
      block = Blocks.withSignature(OrdererMetadata.withRaftIndex(block, consenterIds, index, lastConfig), signer);
      long start = nanoClock.getAsLong();
      try {
        // No fsync here: the entry is already durable in the Raft log of a majority, which is
        // what a commit means, and the log is purged only up to a snapshot, which syncs the ledger
        // first (takeSnapshot); the orderer syncs the ledger in the background besides (etcd
        // commits its backend in batches on the same grounds). An fsync per block cost 15-50 ms
        // of this thread on the lab, blocks a minority applied after a partition one by one.
        ledger.append(block, false);
      } catch (IOException e) {
        // The entry stays unapplied; Ratis stops this division rather than diverge.
        LOG.error("Cannot write block [{}] (Raft index: {}) to the ledger: {} {}", number, index, e.getMessage(), node);
        return CompletableFuture.failedFuture(e);
      }
      persistNanos = nanoClock.getAsLong() - start;
      ledgerRaftIndex = index;
      ledgerTerm = term;
      window.add(number, keys);
      if (newConfig != null) {
        setConfig(new LedgerConfig(number, newConfig));
        listener.onConfigCommitted(number, newConfig);
      }
      updateLastAppliedTermIndex(term, index);
      written = block;
    }
    Block block = written;
    long nanos = persistNanos;
    notifier.execute(() -> listener.onBlockWritten(block, index, nanos));
    return CompletableFuture.completedFuture(Message.valueOf(Long.toString(block.getHeader().getNumber())));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    synchronized (lock) {
      updateLastAppliedTermIndex(term, index);
    }
  }

  /** The ledger and applied position, read atomically (served to lagging orderers). */
  public ConsistentCut cut() {
    synchronized (lock) {
      TermIndex applied = resumablePosition();
      return new ConsistentCut(ledger.height(), ledger.lastHeaderHash(),
          applied == null ? 0 : applied.getTerm(), applied == null ? -1 : applied.getIndex());
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    synchronized (lock) {
      TermIndex applied = resumablePosition();
      if (applied == null || applied.getIndex() < 0) {
        return RaftLog.INVALID_LOG_INDEX;
      }
      ledger.sync();
      writeSnapshot(applied);
      return applied.getIndex();
    }
  }

  /** Where a node may resume applying: the applied position, or before the fragments of a batch still incomplete. */
  private TermIndex resumablePosition() {
    return fragments.pendingSince().orElseGet(this::getLastAppliedTermIndex);
  }

  private void writeSnapshot(TermIndex at) throws IOException {
    File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    new SnapshotMarker(ledger.height(), ledger.lastHeaderHash(), at.getTerm(), at.getIndex()).write(file.toPath());
    var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
    storage.cleanupOldSnapshots(new SnapshotRetentionPolicy() {
      @Override
      public int getNumSnapshotsRetained() {
        return 2;
      }
    });
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    listener.onLeaderChanged(newLeaderId);
  }

  @Override
  public void notifyLeaderReady() {
    listener.onLeaderReady();
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    listener.onLeadershipLost();
  }

  @Override
  public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo, TermIndex firstAvailable) {
    synchronized (lock) {
      // Ratis asks again while a catch-up runs: the same future, or it resets and asks in a loop.
      if (catchUp != null && !catchUp.isDone()) {
        return catchUp;
      }
      String leader = roleInfo.hasFollowerInfo() && roleInfo.getFollowerInfo().hasLeaderInfo()
          ? roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8() : null;
      LOG.info("Raft log entries up to {} were compacted by the leader {}: pulling the missing blocks from another"
          + " orderer, starting at block [{}] {}", firstAvailable, leader, ledger.height(), node);
      CompletableFuture<TermIndex> future = new CompletableFuture<>();
      catchUp = future;
      catchUpExecutor.execute(() -> runCatchUp(leader, firstAvailable, future));
      return future;
    }
  }

  /** Retries until it succeeds or the orderer stops; never completes exceptionally (see class comment). */
  private void runCatchUp(String leader, TermIndex firstAvailable, CompletableFuture<TermIndex> future) {
    long backoff = 50;
    while (!closed) {
      try {
        long from = ledger.height();
        ConsistentCut cut = puller.pull(leader, firstAvailable.getIndex(), ledger);
        TermIndex at = TermIndex.valueOf(cut.appliedTerm(), cut.appliedIndex());
        synchronized (lock) {
          if (ledger.height() != cut.height() || !Arrays.equals(ledger.lastHeaderHash(), cut.lastHash())) {
            throw new IllegalStateException("after pulling, the ledger is at height " + ledger.height() + " with hash "
                + HexFormat.of().formatHex(ledger.lastHeaderHash()) + " but the source's cut is " + cut);
          }
          long t0 = nanoClock.getAsLong();
          ledger.sync();
          long synced = nanoClock.getAsLong();
          ledgerRaftIndex = OrdererMetadata.raftIndex(ledger.lastBlock());
          ledgerTerm = 0;
          LedgerConfig pulled = LedgerConfig.of(ledger);
          if (pulled.blockNumber() != config.blockNumber()) {
            setConfig(pulled);
            listener.onConfigCommitted(pulled.blockNumber(), pulled.config());
          }
          long configured = nanoClock.getAsLong();
          window.rebuild(ledger);
          long rebuilt = nanoClock.getAsLong();
          fragments.clear();
          updateLastAppliedTermIndex(at);
          writeSnapshot(at);
          LOG.info("Caught up: pulled blocks [{}..{}], resuming Raft at {} (ledger fsync {} ms, config {} ms,"
              + " txId window {} ms, snapshot {} ms) {}", from, cut.height() - 1, at, (synced - t0) / 1_000_000,
              (configured - synced) / 1_000_000, (rebuilt - configured) / 1_000_000,
              (nanoClock.getAsLong() - rebuilt) / 1_000_000, node);
        }
        unacknowledged = new Unacknowledged(at, nanoClock.getAsLong());
        future.complete(at);
        return;
      } catch (Exception e) {
        LOG.warn("Catch-up attempt failed, retrying in {} ms: {} {}", backoff, e.getMessage(), node);
        try {
          Thread.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(2000, backoff * 2);
      }
    }
  }

  @Override
  public void pause() {
    // Ratis calls this before reinitialize() after a catch-up; the default does nothing and Ratis
    // then refuses the state machine.
    getLifeCycle().transitionIfValid(LifeCycle.State.PAUSING);
    getLifeCycle().transitionIfValid(LifeCycle.State.PAUSED);
  }

  /**
   * Raft term of the entry that produced the ledger's newest block, as this state machine applied
   * it; 0 when unknown (the block is from before it started, or was pulled).
   */
  public long lastBlockTerm() {
    return ledgerTerm;
  }

  /** Whether this node is pulling missing blocks from another orderer right now. */
  public boolean catchingUp() {
    synchronized (lock) {
      return catchUp != null && !catchUp.isDone();
    }
  }

  /**
   * How long a finished catch-up has waited for Ratis to resume this node, or zero when none waits.
   * Ratis 3.3.0 reports a finished catch-up only when a leader sends another install-snapshot
   * notification; until then the division answers every append "installation in progress". A
   * leader elected meanwhile whose log still holds our next entry never notifies, so the node
   * would wait forever (seen at start-up, during the first elections): the chain restarts the
   * Raft node when this grows past a few election timeouts.
   */
  public Duration catchUpUnacknowledgedFor() {
    Unacknowledged u = unacknowledged;
    return u == null ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - u.sinceNanos());
  }

  /**
   * Once closed, removes the snapshot marker a catch-up wrote that Ratis never acknowledged. Ratis
   * purges the old WAL only when it acknowledges; a Raft node restarted with both the marker and
   * that WAL would hold a gap (entries up to the old tail, then the marker far beyond) and refuse
   * every append after it. Without the marker it replays its WAL against the ledger (blocks it
   * already has are skipped) and asks the leader for the rest, as after any restart.
   */
  public void discardUnacknowledgedCatchUp() throws IOException {
    Unacknowledged u = unacknowledged;
    if (u == null || !closed) {
      return;
    }
    File file = storage.getSnapshotFile(u.at().getTerm(), u.at().getIndex());
    Files.deleteIfExists(MD5FileUtil.getDigestFileForFile(file).toPath());
    Files.deleteIfExists(file.toPath());
    LOG.info("Discarded the catch-up snapshot at {} that Raft never resumed from {}", u.at(), node);
  }

  private record Unacknowledged(TermIndex at, long sinceNanos) {}

  @Override
  public void reinitialize() throws IOException {
    unacknowledged = null;
    synchronized (lock) {
      getLifeCycle().transitionIfValid(LifeCycle.State.STARTING);
      fragments.clear();
      loadSnapshot();
      ledgerRaftIndex = OrdererMetadata.raftIndex(ledger.lastBlock());
      getLifeCycle().transitionIfValid(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    super.close();
  }
}
