package io.raftswarm.swarm.bench;

import io.raftswarm.swarm.client.BroadcastConnector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Closed-loop Broadcast load on {@code streams} streams to one orderer, each keeping
 * {@code window} envelopes unanswered: every answer sends the next envelope from the pool
 * (answers come in send order, so the n-th answer is for the n-th envelope). A failed stream
 * is not reopened: its unanswered envelopes are counted as failed with the error.
 *
 * <p>Threading: sends happen on the caller of {@link #start()} and then on the transport's
 * answer threads, each stream under its own lock.
 */
public final class PipelinedSender {
  private final BroadcastConnector connector;
  private final String orderer;
  private final int window;
  private final EnvelopePool pool;
  private final AckStats stats;
  private final LongSupplier nanoClock;
  private final List<Lane> lanes = new ArrayList<>();
  private volatile boolean sending = true;
  private volatile long poolExhaustedAtNanos = -1;

  public PipelinedSender(BroadcastConnector connector, String orderer, int streams, int window,
      EnvelopePool pool, AckStats stats, LongSupplier nanoClock) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.orderer = Objects.requireNonNull(orderer, "orderer");
    this.window = window;
    this.pool = Objects.requireNonNull(pool, "pool");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    for (int i = 0; i < streams; i++) {
      lanes.add(new Lane());
    }
  }

  /** Opens the streams and fills every window. */
  public void start() {
    for (Lane lane : lanes) {
      lane.open();
    }
  }

  /** No new envelopes from now on; answers still in flight are counted. */
  public void stopSending() {
    sending = false;
  }

  public int inFlight() {
    return lanes.stream().mapToInt(Lane::inFlight).sum();
  }

  /** When the pool ran out (nanoTime clock), or -1. */
  public long poolExhaustedAtNanos() {
    return poolExhaustedAtNanos;
  }

  /** Counts what is still unanswered as failed and closes the streams. */
  public void abandon(String reason) {
    stopSending();
    lanes.forEach(l -> l.failAll(reason));
  }

  private final class Lane implements BroadcastConnector.Listener {
    private final Deque<Long> sentAt = new ArrayDeque<>();
    private BroadcastConnector.Session session;
    private boolean dead;

    synchronized void open() {
      session = connector.open(orderer, this);
      for (int i = 0; i < window && sendNext(); i++) {
        // fill the window
      }
    }

    synchronized int inFlight() {
      return sentAt.size();
    }

    /** Sends one envelope from the pool; false when not sending any more. */
    private boolean sendNext() {
      if (!sending || dead) {
        return false;
      }
      Envelope e = pool.take();
      if (e == null) {
        if (poolExhaustedAtNanos < 0) {
          poolExhaustedAtNanos = nanoClock.getAsLong();
        }
        return false;
      }
      sentAt.addLast(nanoClock.getAsLong());
      try {
        session.send(e);
        return true;
      } catch (RuntimeException ex) {
        failAll("send failed: " + ex.getMessage());
        return false;
      }
    }

    @Override
    public synchronized void onResponse(BroadcastResponse response) {
      long now = nanoClock.getAsLong();
      Long sent = sentAt.pollFirst();
      if (sent == null) {
        return; // after abandon()
      }
      if (response.getStatus() == Status.SUCCESS) {
        stats.acked(sent, now);
      } else {
        stats.failed(now, response.getStatus() + (response.getInfo().isEmpty() ? "" : ": " + response.getInfo()));
      }
      sendNext();
    }

    @Override
    public void onError(Throwable error) {
      failAll("stream error: " + error.getMessage());
    }

    @Override
    public void onCompleted() {
      failAll("stream closed by the orderer");
    }

    synchronized void failAll(String reason) {
      long now = nanoClock.getAsLong();
      while (sentAt.pollFirst() != null) {
        stats.failed(now, reason);
      }
      if (!dead && session != null) {
        dead = true;
        try {
          session.close();
        } catch (RuntimeException ignored) {
          // the stream is already broken or finished; closing is best effort
        }
      }
    }
  }
}
