package io.raftswarm.orderer.chain;

import com.google.protobuf.CodedOutputStream;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.orderer.raft.ChannelStateMachine;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the leader's pending transactions into batches (Fabric's blockcutter rules:
 * MaxMessageCount, PreferredMaxBytes, BatchTimeout; a transaction above PreferredMaxBytes goes
 * alone) and proposes each batch as one Raft entry, at most {@code maxInflight} at a time.
 *
 * <p>With {@code cutWhenIdle}, a batch is also cut when nothing is cut or in flight and the last
 * cut is at least a tenth of BatchTimeout ago: a transaction that reaches an idle leader is
 * proposed at once instead of waiting out BatchTimeout, and what collects while a proposal is in
 * flight is cut when the last one completes (group commit, as etcd batches whatever arrived
 * during the previous write). The spacing bounds the blocks a light, steady load makes: every
 * block costs each orderer and peer a signature check, a write and a delivery whatever it holds,
 * and one block per transaction at 40 tx/s overloaded the 2-core lab. Under load the pipeline is
 * never empty, so batches still fill to MaxMessageCount / PreferredMaxBytes; BatchTimeout stays
 * the longest a transaction waits. Without it, Fabric's rules alone apply.
 *
 * <p>A transaction's future completes with SUCCESS only when its entry is committed by a Raft
 * majority and applied on this leader, and with SERVICE_UNAVAILABLE when leadership is lost
 * first (its outcome is then unknown to the client; a retry is safe thanks to the dedup
 * window). An envelope whose dedup key ({@link io.raftswarm.orderer.raft.DedupWindow}: its txId,
 * or its hash when it has none) is pending here or in a recent block is refused as a duplicate.
 *
 * <p>Threading: all state is guarded by {@code this}; futures are completed outside the lock.
 */
public final class BlockCutter {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.consensus.etcdraft");
  /** Idle cuts are at least BatchTimeout / this apart (200 ms for Fabric's default 2 s). */
  static final int IDLE_CUT_SPACING_DIVISOR = 10;

  /**
   * Proposes one batch to Raft; the future completes when it is committed and applied, with the
   * state machine's reply ({@link ChannelStateMachine#REJECTED} and a
   * reason when a config envelope was not applied), or fails.
   */
  public interface Proposer {
    /** @param batch a serialized {@code common.BlockData} ({@link #serialize}) */
    CompletableFuture<String> propose(byte[] batch);
  }

  private record Pending(Envelope envelope, String key, int size, CompletableFuture<BroadcastResponse> result) {}

  private final String logSuffix;
  private BatchSettings batch;
  private final int maxInflight;
  private final boolean cutWhenIdle;
  private final Proposer proposer;
  private final Predicate<String> alreadyOrdered;
  private final LongSupplier ledgerHeight;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoClock;

  private List<Pending> current = new ArrayList<>();
  private long currentBytes;
  private ScheduledFuture<?> timer;
  /** Fires when the idle-cut spacing has passed for a batch that found the pipeline idle too early. */
  private ScheduledFuture<?> idleTimer;
  private boolean cutBefore;
  private long lastCutNanos;
  private final ArrayDeque<List<Pending>> cut = new ArrayDeque<>();
  private final Set<String> pendingKeys = new HashSet<>();
  private final Set<List<Pending>> proposed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private int inflight;
  private boolean leader;
  /** Raft accepts proposals only once the new leader committed its first entry of the term. */
  private boolean ready;
  private long generation;
  /**
   * The number the next block this leader creates will get, once known (-1: estimate it). An
   * estimate from the ledger height is off by one while a committed block is written but its
   * proposal not yet answered, so it is taken once and then counted: a leader's proposals commit
   * in order.
   */
  private long nextBlock = -1;

  public BlockCutter(String logSuffix, BatchSettings batch, int maxInflight, boolean cutWhenIdle, Proposer proposer,
      Predicate<String> alreadyOrdered, LongSupplier ledgerHeight, ScheduledExecutorService scheduler,
      LongSupplier nanoClock) {
    this.logSuffix = logSuffix;
    this.batch = batch;
    this.maxInflight = maxInflight;
    this.cutWhenIdle = cutWhenIdle;
    this.proposer = proposer;
    this.alreadyOrdered = alreadyOrdered;
    this.ledgerHeight = ledgerHeight;
    this.scheduler = scheduler;
    this.nanoClock = nanoClock;
  }

  public synchronized boolean isLeader() {
    return leader;
  }

  /**
   * Starts accepting transactions (this node became the Raft leader). Batches are cut but not
   * proposed until {@link #leaderReady()}: Ratis refuses proposals with LeaderNotReadyException
   * until the leader's first entry of its term is committed, and those would reach clients as
   * needless SERVICE_UNAVAILABLE answers.
   */
  public synchronized void becomeLeader(boolean alreadyReady) {
    leader = true;
    ready = alreadyReady;
    generation++;
    nextBlock = -1;
  }

  /**
   * The Raft leader may propose now; proposes the batches cut meanwhile, and the transactions
   * collected since without waiting out BatchTimeout: they have waited through the election.
   */
  public void leaderReady() {
    List<List<Pending>> toPropose;
    synchronized (this) {
      if (!leader || ready) {
        return;
      }
      ready = true;
      cutCurrent();
      toPropose = takeProposable();
    }
    toPropose.forEach(this::propose);
  }

  /**
   * Before this leader hands off (graceful stop): stops taking new transactions ({@link #isLeader()}
   * turns false, so Broadcast waits for the next leader and forwards there), proposes what is
   * pending without waiting out BatchTimeout, and waits until every proposal has completed or
   * {@code timeout} passes. Returns whether nothing is left in flight.
   */
  public boolean drainForHandOff(java.time.Duration timeout) throws InterruptedException {
    List<List<Pending>> toPropose;
    synchronized (this) {
      if (!leader) {
        return true;
      }
      leader = false;
      cutCurrent();
      toPropose = takeProposable();
    }
    toPropose.forEach(this::propose);
    long deadline = nanoClock.getAsLong() + timeout.toNanos();
    synchronized (this) {
      while (inflight > 0 || !cut.isEmpty()) {
        long left = deadline - nanoClock.getAsLong();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Stops accepting and answers SERVICE_UNAVAILABLE for everything pending or in flight (outcome unknown). */
  public void stepDown(String reason) {
    List<Pending> failed = new ArrayList<>();
    synchronized (this) {
      leader = false;
      ready = false;
      generation++;
      nextBlock = -1;
      failed.addAll(current);
      current = new ArrayList<>();
      currentBytes = 0;
      cut.forEach(failed::addAll);
      cut.clear();
      // Proposed batches may still commit under the next leader; their outcome is unknown to
      // the client now, and waiting for Raft to give up on them would stretch the rejection window.
      proposed.forEach(failed::addAll);
      proposed.clear();
      cancelTimers();
      failed.forEach(p -> pendingKeys.remove(p.key()));
    }
    BroadcastResponse response = response(Status.SERVICE_UNAVAILABLE, reason);
    failed.forEach(p -> p.result().complete(response));
  }

  /**
   * Enqueues a validated transaction; the future completes as described in the class comment.
   *
   * @param key the envelope's dedup key
   */
  public CompletableFuture<BroadcastResponse> submit(Envelope envelope, String key) {
    return enqueue(envelope, key, false);
  }

  /**
   * Enqueues an envelope that must be ordered in a block of its own (a CONFIG envelope): the
   * batch being filled is cut first, so it stays in order behind what came earlier.
   */
  public CompletableFuture<BroadcastResponse> submitAlone(Envelope envelope, String key) {
    return enqueue(envelope, key, true);
  }

  private CompletableFuture<BroadcastResponse> enqueue(Envelope envelope, String key, boolean alone) {
    CompletableFuture<BroadcastResponse> result = new CompletableFuture<>();
    List<List<Pending>> toPropose;
    synchronized (this) {
      BroadcastResponse refused = admit(key);
      if (refused != null) {
        return CompletableFuture.completedFuture(refused);
      }
      int size = envelope.getSerializedSize();
      Pending pending = new Pending(envelope, key, size, result);
      if (alone || size > batch.preferredMaxBytes()) {
        cutCurrent();
        cut.add(List.of(pending));
      } else {
        if (currentBytes + size > batch.preferredMaxBytes()) {
          cutCurrent();
        }
        current.add(pending);
        currentBytes += size;
        if (current.size() >= batch.maxMessageCount()) {
          cutCurrent();
        } else {
          cutIfIdle();
          if (current.size() == 1 && timer == null) {
            long gen = generation;
            List<Pending> batchAtStart = current;
            timer = scheduler.schedule(() -> onTimeout(gen, batchAtStart), batch.batchTimeout().toMillis(), TimeUnit.MILLISECONDS);
          }
        }
      }
      toPropose = takeProposable();
    }
    toPropose.forEach(this::propose);
    return result;
  }

  /** Takes {@code key} as pending, or says why not (not the leader, a duplicate). Call holding the lock. */
  private BroadcastResponse admit(String key) {
    if (!leader) {
      return response(Status.SERVICE_UNAVAILABLE, "this orderer is no longer the Raft leader");
    }
    if (pendingKeys.contains(key) || alreadyOrdered.test(key)) {
      return response(Status.BAD_REQUEST, "duplicate transaction " + key + ": it is already ordered or being ordered");
    }
    pendingKeys.add(key);
    return null;
  }

  /** New batch settings from a config update: they apply from the next batch on. */
  public synchronized void updateBatch(BatchSettings settings) {
    this.batch = settings;
  }

  private void onTimeout(long gen, List<Pending> batchAtStart) {
    List<List<Pending>> toPropose;
    synchronized (this) {
      if (gen != generation || current != batchAtStart || current.isEmpty()) {
        return;
      }
      cutCurrent();
      toPropose = takeProposable();
    }
    toPropose.forEach(this::propose);
  }

  /** Nothing cut or in flight on a leader that may propose: waiting would only add latency. Call holding the lock. */
  private boolean pipelineIdle() {
    return cutWhenIdle && leader && ready && inflight == 0 && cut.isEmpty();
  }

  /**
   * Cuts the batch being filled if the pipeline is idle and the last cut is at least the idle-cut
   * spacing (a tenth of BatchTimeout) ago, or arms a timer for when it will be. Call holding the lock.
   */
  private void cutIfIdle() {
    if (current.isEmpty() || !pipelineIdle()) {
      return;
    }
    long wait = cutBefore ? lastCutNanos + batch.batchTimeout().toNanos() / IDLE_CUT_SPACING_DIVISOR - nanoClock.getAsLong() : 0;
    if (wait <= 0) {
      cutCurrent();
    } else if (idleTimer == null) {
      long gen = generation;
      List<Pending> batchAtStart = current;
      idleTimer = scheduler.schedule(() -> onIdleSpacing(gen, batchAtStart), wait, TimeUnit.NANOSECONDS);
    }
  }

  private void onIdleSpacing(long gen, List<Pending> batchAtStart) {
    List<List<Pending>> toPropose;
    synchronized (this) {
      if (gen != generation || current != batchAtStart) {
        return;
      }
      idleTimer = null;
      if (current.isEmpty() || !pipelineIdle()) {
        return; // a proposal went out meanwhile; its completion looks again
      }
      cutCurrent();
      toPropose = takeProposable();
    }
    toPropose.forEach(this::propose);
  }

  private void cutCurrent() {
    if (current.isEmpty()) {
      return;
    }
    cut.add(current);
    current = new ArrayList<>();
    currentBytes = 0;
    cutBefore = true;
    lastCutNanos = nanoClock.getAsLong();
    cancelTimers();
  }

  private void cancelTimers() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  private List<List<Pending>> takeProposable() {
    List<List<Pending>> out = new ArrayList<>();
    while (ready && inflight < maxInflight && !cut.isEmpty()) {
      inflight++;
      List<Pending> batchToPropose = cut.poll();
      proposed.add(batchToPropose);
      out.add(batchToPropose);
    }
    if (!out.isEmpty()) {
      if (nextBlock < 0) {
        nextBlock = ledgerHeight.getAsLong() + inflight - out.size();
      }
      for (List<Pending> b : out) {
        LOG.info("Created block [{}] with {} transactions, there are {} blocks in flight {}", nextBlock++, b.size(), inflight, logSuffix);
      }
    }
    return out;
  }

  /**
   * The envelopes as a serialized {@code common.BlockData}, written in one pass: an embedded
   * message and a bytes field share their wire encoding, so each envelope written as field 1 is
   * exactly {@code BlockData{data: [its bytes]}}, without serializing every envelope on its own and
   * copying it again into the batch (a leader does this for every transaction).
   */
  static byte[] serialize(List<Envelope> envelopes) {
    int size = 0;
    for (Envelope e : envelopes) {
      size += CodedOutputStream.computeMessageSize(BlockData.DATA_FIELD_NUMBER, e);
    }
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (Envelope e : envelopes) {
        out.writeMessage(BlockData.DATA_FIELD_NUMBER, e);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serializing a batch into an array sized for it", e);
    }
    return bytes;
  }

  private void propose(List<Pending> pendings) {
    CompletableFuture<String> proposal;
    try {
      proposal = proposer.propose(serialize(pendings.stream().map(Pending::envelope).toList()));
    } catch (RuntimeException e) {
      proposal = CompletableFuture.failedFuture(e);
    }
    proposal.whenComplete((ok, error) -> {
      List<List<Pending>> next;
      synchronized (this) {
        inflight--;
        proposed.remove(pendings);
        if (error != null) {
          nextBlock = -1; // it may or may not commit later
        } else if (nextBlock >= 0 && ChannelStateMachine.wroteNoBlock(ok)) {
          nextBlock--; // committed without writing a block: the numbers after it move down by one
        }
        pendings.forEach(p -> pendingKeys.remove(p.key()));
        cutIfIdle(); // what collected while the last proposal was in flight
        // While draining for a hand-off, batches already cut are still proposed.
        next = leader || ready ? takeProposable() : List.of();
        notifyAll();
      }
      BroadcastResponse response;
      if (error != null) {
        response = response(Status.SERVICE_UNAVAILABLE, "block was not committed: " + rootMessage(error));
      } else if (ok != null && ok.startsWith(ChannelStateMachine.REJECTED)) {
        response = response(Status.BAD_REQUEST, ok.substring(ChannelStateMachine.REJECTED.length()));
      } else {
        response = response(Status.SUCCESS, "");
      }
      pendings.forEach(p -> p.result().complete(response));
      next.forEach(this::propose);
    });
  }

  public static BroadcastResponse response(Status status, String info) {
    return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
