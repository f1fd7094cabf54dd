package io.raftswarm.orderer.broadcast;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.chain.BlockCutter;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Forwards validated transactions from a follower to the channel's leader over long-lived,
 * pipelined {@link ForwardService} streams (one per channel and leader endpoint) that carry them
 * in batches, authenticated with this orderer's TLS certificate so the leader skips the
 * signature check it knows we did. Answers come back in order and are matched to the requests
 * by position.
 *
 * <p>When the stream breaks or the leader changes away, every transaction still waiting gets
 * SERVICE_UNAVAILABLE (its outcome is unknown; the txId dedup makes a client retry safe). So does
 * a leader that answers nothing at all for the {@code silence} limit while transactions wait. A
 * leader that keeps answering is waited for however long its queue is: it answers in order, so
 * every transaction's turn comes, and giving up on one still in its queue would only turn an
 * overloaded channel's slow SUCCESS into an answer whose outcome is unknown.
 * Where and when to forward, and when to give up on a leader, {@link ForwardingRules} decides.
 * Thread-safe.
 */
public final class LeaderForwarder implements Closeable {
  /**
   * Where the leader's answers are handled: on the transport thread that read them, not handed to
   * gRPC's default executor (which woke a thread per answer on a loaded follower: ~1,400 a second,
   * docs/BENCHMARKS.md). Handling one only parses it and completes futures whose callbacks send
   * responses without blocking, as {@link InlineCalls} does for the server side.
   */
  private static final Executor ON_TRANSPORT_THREAD = Runnable::run;
  /** Upper bounds of one forwarded batch; a leader's block holds 500 transactions by default. */
  private static final int MAX_BATCH_ENVELOPES = 500;
  private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
  /**
   * How long a busy stream (batches sent and not yet answered) lets envelopes gather before it
   * sends them, as Kafka's producer does with {@code linger.ms}. Sending whatever was there when the
   * flusher woke made batches of ~3 envelopes under load, ~1,700 messages and wake-ups a second on
   * each side (docs/BENCHMARKS.md); the wait is small against the ~1 s a busy channel takes to
   * answer. An idle stream sends a lone envelope at once.
   */
  static final Duration BUSY_LINGER = Duration.ofMillis(2);

  private final TlsMaterial tls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, ForwardStream> streams = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final ScheduledExecutorService flusher;
  private final Function<Duration, Executor> after;
  private final LongSupplier nanoClock;
  private final Duration silence;

  /**
   * @param flusher sends the buffered batches, at once or after {@link #BUSY_LINGER}; one thread
   *     for all streams is plenty (it only hands bytes to gRPC)
   * @param after an executor that runs its tasks once the given delay has passed
   * @param nanoClock the clock a stream's silence is measured with
   * @param silence how long a leader may answer nothing while transactions wait for it before they
   *     are answered SERVICE_UNAVAILABLE (it vanished without closing the connection, or is stuck)
   */
  public LeaderForwarder(TlsMaterial tls, ScheduledExecutorService flusher, Function<Duration, Executor> after, LongSupplier nanoClock,
      Duration silence) {
    this.tls = tls;
    this.flusher = flusher;
    this.after = after;
    this.nanoClock = nanoClock;
    this.silence = silence;
  }

  public CompletableFuture<BroadcastResponse> forward(String channelId, String endpoint, Envelope envelope) {
    if (closed) {
      return CompletableFuture.completedFuture(BlockCutter.response(Status.SERVICE_UNAVAILABLE, "orderer is shutting down"));
    }
    ForwardStream stream = streams.computeIfAbsent(channelId + "|" + endpoint, k -> new ForwardStream(endpoint));
    return stream.send(envelope);
  }

  /**
   * Connects ahead of need to the orderers that may become leader, so that the first forwards
   * after a leader change do not wait for a TCP connect and TLS handshake.
   */
  public void connectAhead(Collection<String> endpoints) {
    endpoints.forEach(this::prepare);
  }

  /**
   * Gets the connection to a (new) leader ready: connects if idle and retries at once if an
   * earlier attempt failed (a restarted orderer would otherwise wait out gRPC's reconnect backoff,
   * up to two minutes, while it is already the leader).
   */
  public void prepare(String endpoint) {
    if (closed) {
      return;
    }
    ManagedChannel channel = channel(endpoint);
    channel.resetConnectBackoff();
    channel.getState(true);
  }

  /**
   * False when the last connection attempt to {@code endpoint} failed (gRPC TRANSIENT_FAILURE): a
   * killed leader. Callers then wait for the next leader instead of answering SERVICE_UNAVAILABLE.
   */
  public boolean reachable(String endpoint) {
    ManagedChannel channel = channels.get(endpoint);
    return channel == null || channel.getState(false) != io.grpc.ConnectivityState.TRANSIENT_FAILURE;
  }

  /** Fails the transactions waiting at {@code endpoint} for {@code channelId} and closes that stream. */
  public void abandon(String channelId, String endpoint, String reason) {
    ForwardStream stream = streams.remove(channelId + "|" + endpoint);
    if (stream != null) {
      stream.fail(reason, true);
    }
  }

  /**
   * The leader changed: later forwards go to the new leader, and what this stream already sent
   * may still be answered by the old one (a leader that steps down answers what it holds, and one
   * handing off before a graceful stop commits it all). What the stream still held back
   * ({@link #BUSY_LINGER}) is sent to the old leader now rather than refused: an orderer that is
   * no longer the leader passes a forward on to its successor and relays the answer. What waits
   * there is answered SERVICE_UNAVAILABLE with {@code reason} once {@code grace} has passed, or at
   * once when the connection to the old leader is broken (a killed leader).
   */
  public void retire(String channelId, String endpoint, Duration grace, String reason) {
    retire(channelId, endpoint, grace, reason, new CompletableFuture<>(), Duration.ZERO, reason);
  }

  /**
   * {@link #retire(String, String, Duration, String)}, and when {@code settled} completes (a newer
   * leader's block is written here, so nothing more can commit through the old leader's log) while
   * the old leader has not answered on this stream for {@code quiet} (it is frozen or cut off, not
   * just slow to answer what it committed) and did not announce a hand-off (a stopping leader
   * passes late forwards on to its successor and relays the answers), what still waits is
   * answered with {@code settledReason} then instead of after the grace.
   */
  public void retire(String channelId, String endpoint, Duration grace, String reason,
      CompletableFuture<Void> settled, Duration quiet, String settledReason) {
    ForwardStream stream = streams.remove(channelId + "|" + endpoint);
    if (stream == null) {
      return;
    }
    if (!reachable(endpoint)) {
      stream.fail(reason, true);
      return;
    }
    stream.sendHeldBack();
    after.apply(grace).execute(() -> stream.fail(reason, true));
    settled.thenRun(() -> {
      if (!stream.handingOff && nanoClock.getAsLong() - stream.lastAnswerNanos >= quiet.toNanos()) {
        stream.fail(settledReason, true);
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    streams.values().forEach(s -> s.fail("orderer is shutting down", true));
    streams.clear();
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  private ManagedChannel channel(String endpoint) {
    return channels.computeIfAbsent(endpoint, e -> GrpcChannels.open(e, tls));
  }

  /**
   * One channel's forwards to one leader: envelopes are buffered and sent in batches
   * ({@link ForwardService}); a batch goes out when the flusher thread gets to it, at once when
   * nothing waits for an answer and after {@link #BUSY_LINGER} when something does.
   */
  private final class ForwardStream {
    private final String endpoint;
    /** Batches sent and not yet answered, oldest first. */
    private final ArrayDeque<List<CompletableFuture<BroadcastResponse>>> waiting = new ArrayDeque<>();
    private BlockData.Builder buffer = BlockData.newBuilder();
    private List<CompletableFuture<BroadcastResponse>> buffered = new ArrayList<>();
    private long bufferedBytes;
    private boolean flushScheduled;
    private ClientCallStreamObserver<BlockData> requests;
    /** When the leader last answered on this stream (or the stream was made), by {@link #nanoClock}. */
    private volatile long lastAnswerNanos;
    /** Since when the leader owes an answer: the later of its last answer and the send that found nothing waiting. */
    private long owedSinceNanos;
    /** A {@link #checkSilence} is scheduled. */
    private boolean watching;
    /** The leader sent {@link ForwardService#HAND_OFF_NOTICE}: it will answer, however quiet it is now. */
    private volatile boolean handingOff;

    ForwardStream(String endpoint) {
      this.endpoint = endpoint;
      this.lastAnswerNanos = nanoClock.getAsLong();
    }

    CompletableFuture<BroadcastResponse> send(Envelope envelope) {
      CompletableFuture<BroadcastResponse> result = new CompletableFuture<>();
      boolean schedule = false;
      boolean busy = false;
      synchronized (this) {
        buffer.addData(envelope.toByteString());
        buffered.add(result);
        bufferedBytes += envelope.getSerializedSize();
        if (buffered.size() >= MAX_BATCH_ENVELOPES || bufferedBytes >= MAX_BATCH_BYTES) {
          sendBuffered();
        } else if (!flushScheduled) {
          flushScheduled = true;
          schedule = true;
          busy = !waiting.isEmpty();
        }
      }
      if (schedule && busy) {
        flusher.schedule(this::flush, BUSY_LINGER.toNanos(), TimeUnit.NANOSECONDS);
      } else if (schedule) {
        flusher.execute(this::flush);
      }
      return result;
    }

    /**
     * A leader that vanished without closing the connection, or is stuck, must not hang the
     * clients: fails what waits once the leader has owed an answer for {@link #silence}.
     */
    private void checkSilence() {
      int waitingNow;
      synchronized (this) {
        if (waiting.isEmpty()) {
          watching = false;
          return;
        }
        long left = owedSinceNanos + silence.toNanos() - nanoClock.getAsLong();
        if (left > 0) {
          // Rounded up: the executor counts whole milliseconds, and an early check would only spin.
          after.apply(Duration.ofMillis((left + 999_999) / 1_000_000)).execute(this::checkSilence);
          return;
        }
        watching = false;
        waitingNow = waiting.stream().mapToInt(List::size).sum();
      }
      fail("no answer from the Raft leader " + endpoint + " for " + silence.toSeconds() + " s while " + waitingNow
          + " forwarded transactions waited for it; the outcome is unknown, retry", true);
    }

    private synchronized void flush() {
      flushScheduled = false;
      sendBuffered();
    }

    /** Sends what is buffered as one batch; the caller holds the lock. */
    private void sendBuffered() {
      if (buffered.isEmpty()) {
        return;
      }
      if (requests == null) {
        open();
      }
      if (waiting.isEmpty()) {
        owedSinceNanos = nanoClock.getAsLong();
      }
      waiting.add(buffered);
      if (!watching) {
        watching = true;
        after.apply(silence).execute(this::checkSilence);
      }
      BlockData batch = buffer.build();
      buffer = BlockData.newBuilder();
      buffered = new ArrayList<>();
      bufferedBytes = 0;
      requests.onNext(batch);
    }

    private void answered(BlockData answer) {
      long now = nanoClock.getAsLong();
      lastAnswerNanos = now;
      if (answer.getDataCount() == 0) {
        handingOff = true;
      }
      List<CompletableFuture<BroadcastResponse>> batch;
      synchronized (this) {
        owedSinceNanos = now;
        batch = answer.getDataCount() == 0 ? null : waiting.poll();
      }
      if (batch == null) {
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        BroadcastResponse response;
        try {
          response = i < answer.getDataCount() ? BroadcastResponse.parseFrom(answer.getData(i)) : null;
        } catch (InvalidProtocolBufferException e) {
          response = null;
        }
        batch.get(i).complete(response != null ? response : BlockCutter.response(Status.SERVICE_UNAVAILABLE,
            "the Raft leader " + endpoint + " answered " + answer.getDataCount() + " of " + batch.size()
                + " forwarded transactions; the outcome of this one is unknown, retry it"));
      }
    }

    private void open() {
      ClientResponseObserver<BlockData, BlockData> observer = new ClientResponseObserver<>() {
        private ClientCallStreamObserver<BlockData> mine;

        @Override
        public void beforeStart(ClientCallStreamObserver<BlockData> stream) {
          mine = stream;
        }

        @Override
        public void onNext(BlockData answer) {
          answered(answer);
        }

        @Override
        public void onError(Throwable t) {
          detach(mine, "lost the stream to the Raft leader " + endpoint + ": " + t.getMessage());
        }

        @Override
        public void onCompleted() {
          detach(mine, "the Raft leader " + endpoint + " closed the stream");
        }
      };
      // Opened from inside some client's Broadcast call: detach from that call's gRPC Context, or
      // the client hanging up would cancel this shared stream and fail everyone's forwards.
      Context previous = Context.ROOT.attach();
      try {
        requests = (ClientCallStreamObserver<BlockData>) ClientCalls.asyncBidiStreamingCall(
            channel(endpoint).newCall(ForwardService.FORWARD, CallOptions.DEFAULT.withExecutor(ON_TRANSPORT_THREAD)),
            observer);
      } finally {
        Context.ROOT.detach(previous);
      }
    }

    private void detach(ClientCallStreamObserver<BlockData> stream, String reason) {
      synchronized (this) {
        if (requests != stream) {
          return;
        }
      }
      fail(reason, false);
    }

    /** Sends what the linger holds now (the flush still scheduled then finds nothing). */
    synchronized void sendHeldBack() {
      sendBuffered();
    }

    void fail(String reason, boolean cancel) {
      List<CompletableFuture<BroadcastResponse>> failed = new ArrayList<>();
      synchronized (this) {
        waiting.forEach(failed::addAll);
        waiting.clear();
        failed.addAll(buffered);
        buffered = new ArrayList<>();
        buffer = BlockData.newBuilder();
        bufferedBytes = 0;
        if (requests != null && cancel) {
          try {
            requests.cancel(reason, null);
          } catch (RuntimeException ignored) {
            // already closed
          }
        }
        requests = null;
      }
      BroadcastResponse response = BlockCutter.response(Status.SERVICE_UNAVAILABLE, reason);
      failed.forEach(f -> f.complete(response));
    }
  }
}
