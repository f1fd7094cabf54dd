package io.raftswarm.swarm.drill.load;

import io.raftswarm.swarm.client.BroadcastConnector;
import io.raftswarm.swarm.client.SignedTx;
import io.raftswarm.swarm.client.TxSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background load for a drill: signed envelopes over one pipelined Broadcast stream per
 * orderer, round-robin over orderers and channels at a fixed rate, recording for every envelope
 * when it was sent, to which orderer, and what came back.
 *
 * <p>Threading: one internal thread sends (and builds/signs envelopes); answers are handled on
 * the transport's threads under a per-orderer lock. Bounded: stops by itself after
 * {@link LoadPlan#maxTxs()} sends or {@link LoadPlan#maxDuration()}, or on {@link #stop()}; then
 * waits up to {@link LoadPlan#answerGrace()} for outstanding answers and marks the rest
 * {@link TxOutcome#NO_ANSWER}. {@link #done()} completes with the result; {@link #close()}
 * stops and releases the thread.
 *
 * <p>A failed stream marks all of its unanswered envelopes {@link TxOutcome#ERROR} (their fate
 * is unknown to the client — the verdict checks whether they committed anyway) and is reopened
 * on the next send after {@link LoadPlan#reconnectBackoff()}.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
  private static final Duration DRAIN_POLL = Duration.ofMillis(50);

  private final LoadPlan plan;
  private final BroadcastConnector connector;
  private final TxSource source;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final List<TxRecord> finished = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<LoadResult> done = new CompletableFuture<>();

  // touched only by the sending thread
  private int sent;
  private int cursor;
  private int skippedReconnecting;
  private int skippedInFlight;
  private Instant startedAt;
  private Instant deadline;
  private ScheduledFuture<?> ticks;
  private volatile boolean stopRequested;
  private volatile boolean started;

  public LoadGenerator(LoadPlan plan, BroadcastConnector connector, TxSource source, Clock clock) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    plan.orderers().forEach(o -> lanes.put(o, new Lane(o)));
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "drill-load");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts sending; returns at once. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("load already started");
    }
    started = true;
    thread.execute(() -> {
      startedAt = clock.instant();
      deadline = startedAt.plus(plan.maxDuration());
      LOG.info("load: {} tx/s to {} on {} for at most {} or {} txs", plan.ratePerSecond(),
          plan.orderers(), plan.channels(), plan.maxDuration(), plan.maxTxs());
    });
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / plan.ratePerSecond();
    ticks = thread.scheduleAtFixedRate(this::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Asks the load to stop sending; outstanding answers are still awaited (bounded). */
  public void stop() {
    stopRequested = true;
  }

  /** Completes once the load has stopped and every sent envelope has an outcome. */
  public CompletableFuture<LoadResult> done() {
    return done;
  }

  /** Stops, waits (bounded by the grace period) for the result, and releases the thread. */
  @Override
  public void close() {
    stop();
    if (started) {
      try {
        done.get(plan.answerGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("load did not finish cleanly: {}", e.toString());
      }
    }
    thread.shutdownNow();
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      if (stopRequested || sent >= plan.maxTxs() || !now.isBefore(deadline)) {
        ticks.cancel(false);
        drain(now.plus(plan.answerGrace()));
        return;
      }
      int pairs = plan.orderers().size() * plan.channels().size();
      int pick = cursor++ % pairs;
      Lane lane = lanes.get(plan.orderers().get(pick % plan.orderers().size()));
      String channel = plan.channels().get(pick / plan.orderers().size());
      switch (lane.readiness(now)) {
        case RECONNECTING -> skippedReconnecting++;
        case FULL -> skippedInFlight++;
        case READY -> {
          lane.send(source.next(channel), now);
          sent++;
        }
      }
    } catch (RuntimeException e) {
      // never let one bad tick kill the scheduled task silently
      LOG.error("load: send failed", e);
    }
  }

  private void drain(Instant drainDeadline) {
    Instant now = clock.instant();
    boolean empty = lanes.values().stream().allMatch(Lane::idle);
    if (!empty && now.isBefore(drainDeadline)) {
      thread.schedule(() -> drain(drainDeadline), DRAIN_POLL.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    lanes.values().forEach(Lane::abandon);
    LoadResult result = new LoadResult(startedAt, clock.instant(), List.copyOf(finished),
        skippedReconnecting, skippedInFlight);
    LOG.info("load: finished, {} sent", result.records().size());
    done.complete(result);
  }

  private enum Readiness { READY, RECONNECTING, FULL }

  private record Pending(SignedTx tx, Instant sentAt) {}

  /** One orderer's stream and its unanswered envelopes, in send order. */
  private final class Lane {
    private final String orderer;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private BroadcastConnector.Session session;
    private int generation;
    private Instant reconnectAt = Instant.MIN;

    Lane(String orderer) {
      this.orderer = orderer;
    }

    synchronized Readiness readiness(Instant now) {
      if (session == null && now.isBefore(reconnectAt)) {
        return Readiness.RECONNECTING;
      }
      return inFlight.size() >= plan.maxInFlightPerOrderer() ? Readiness.FULL : Readiness.READY;
    }

    synchronized void send(SignedTx tx, Instant now) {
      if (session == null) {
        int gen = ++generation;
        session = connector.open(orderer, new StreamListener(this, gen));
      }
      inFlight.addLast(new Pending(tx, now));
      try {
        session.send(tx.envelope());
      } catch (RuntimeException e) {
        failAll(generation, "send failed: " + e.getMessage());
      }
    }

    synchronized boolean idle() {
      return inFlight.isEmpty();
    }

    synchronized void answered(int gen, BroadcastResponse response) {
      if (gen != generation) {
        return; // a stream we already gave up on
      }
      Pending p = inFlight.pollFirst();
      if (p == null) {
        LOG.warn("load: {} sent an answer for no outstanding envelope: {}", orderer,
            response.getStatus());
        return;
      }
      boolean ok = response.getStatus() == Status.SUCCESS;
      String detail = ok ? "" : response.getStatus()
          + (response.getInfo().isEmpty() ? "" : ": " + response.getInfo());
      finished.add(new TxRecord(p.tx().txId(), p.tx().channel(), orderer, p.sentAt(),
          ok ? TxOutcome.SUCCESS : TxOutcome.REJECTED, clock.instant(), detail));
    }

    synchronized void failAll(int gen, String why) {
      if (gen != generation) {
        return;
      }
      Instant now = clock.instant();
      for (Pending p : inFlight) {
        finished.add(new TxRecord(p.tx().txId(), p.tx().channel(), orderer, p.sentAt(),
            TxOutcome.ERROR, now, why));
      }
      endStream();
      reconnectAt = now.plus(plan.reconnectBackoff());
    }

    synchronized void abandon() {
      for (Pending p : inFlight) {
        finished.add(new TxRecord(p.tx().txId(), p.tx().channel(), orderer, p.sentAt(),
            TxOutcome.NO_ANSWER, null, "no answer within " + plan.answerGrace().toMillis()
                + " ms after the load stopped"));
      }
      endStream();
    }

    /** Forgets the stream and its answers still to come (they carry the old generation). */
    private void endStream() {
      inFlight.clear();
      if (session != null) {
        try {
          session.close();
        } catch (RuntimeException ignored) {
          // the stream may be broken already; closing is best effort
        }
        session = null;
      }
      generation++;
    }
  }

  private record StreamListener(Lane lane, int generation) implements BroadcastConnector.Listener {
    @Override
    public void onResponse(BroadcastResponse response) {
      lane.answered(generation, response);
    }

    @Override
    public void onError(Throwable error) {
      lane.failAll(generation, String.valueOf(error.getMessage()));
    }

    @Override
    public void onCompleted() {
      lane.failAll(generation, "stream closed by the orderer");
    }
  }
}
