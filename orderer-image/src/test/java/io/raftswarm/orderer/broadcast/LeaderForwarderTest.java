package io.raftswarm.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.netty.util.concurrent.FastThreadLocalThread;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.common.tls.GrpcServers;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.chain.BlockCutter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How long a follower waits for the leader's answers to what it forwarded, over real TLS streams. */
class LeaderForwarderTest {
  private static final String CH = "mychannel";
  private static final Duration SILENCE = Duration.ofSeconds(1);

  @TempDir
  Path dir;
  private TlsMaterial tls;
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService leaderClock = Executors.newSingleThreadScheduledExecutor();
  private Server server;

  @BeforeEach
  void orderer() throws Exception {
    LocalNetworkFixture net = LocalNetworkFixture.create(dir, 1, 0, List.of(CH));
    tls = TlsMaterial.load(net.orderer(1).tlsDir());
  }

  @AfterEach
  void stop() {
    flusher.shutdownNow();
    leaderClock.shutdownNow();
    if (server != null) {
      server.shutdownNow();
    }
  }

  /**
   * An overloaded channel: the leader answers one forwarded batch every 300 ms, so the last of ten
   * waits ~3 s, three times the silence limit. It keeps answering, so every transaction gets its
   * SUCCESS instead of an "outcome unknown" while it was still queued at the leader.
   */
  @Test
  void a_leader_that_keeps_answering_is_waited_for_however_long_its_queue() throws Exception {
    AtomicInteger batches = new AtomicInteger();
    String leader = leader(batch -> batches.incrementAndGet() * 300L);
    List<CompletableFuture<BroadcastResponse>> answers = new ArrayList<>();
    try (LeaderForwarder forwarder = forwarder()) {
      for (int i = 0; i < 10; i++) {
        answers.add(forwarder.forward(CH, leader, tx(i)));
        Thread.sleep(30); // one batch each: the flusher sends a lone envelope at once
      }
      for (CompletableFuture<BroadcastResponse> answer : answers) {
        assertThat(answer.get(20, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.SUCCESS);
      }
    }
    assertThat(batches.get()).as("separate batches, answered one after another").isGreaterThanOrEqualTo(5);
  }

  /**
   * The leader's answers are handled on the transport (Netty event loop) thread that read them:
   * no executor thread is woken per answer. Callbacks registered before the answer run there too.
   */
  @Test
  void answers_are_handled_on_the_thread_that_read_them() throws Exception {
    // The leader answers only once the callback is registered, and no thread waits on the future
    // (a waiter in get() may run its callbacks itself), so the callback runs on the thread that
    // completed it.
    CountDownLatch registered = new CountDownLatch(1);
    String leader = leader(batch -> registered.await(20, TimeUnit.SECONDS) ? 0 : -1);
    AtomicReference<Thread> completedOn = new AtomicReference<>();
    CountDownLatch completed = new CountDownLatch(1);
    try (LeaderForwarder forwarder = forwarder()) {
      CompletableFuture<BroadcastResponse> answer = forwarder.forward(CH, leader, tx(1));
      answer.whenComplete((r, e) -> {
        completedOn.set(Thread.currentThread());
        completed.countDown();
      });
      registered.countDown();
      assertThat(completed.await(20, TimeUnit.SECONDS)).as("answered").isTrue();
      assertThat(answer.getNow(null).getStatus()).isEqualTo(Status.SUCCESS);
    }
    assertThat(completedOn.get()).as("completed by " + completedOn.get().getName())
        .isInstanceOf(FastThreadLocalThread.class);
  }

  /**
   * While the leader owes an answer, envelopes gather for {@link LeaderForwarder#BUSY_LINGER} and
   * leave as one batch; on an idle stream a lone envelope leaves at once.
   */
  @Test
  void a_busy_stream_lets_envelopes_gather_for_the_linger_an_idle_one_sends_at_once() throws Exception {
    CountDownLatch lingerPassed = new CountDownLatch(1);
    List<Long> flushDelays = new CopyOnWriteArrayList<>();
    ScheduledThreadPoolExecutor recordingFlusher = flusherWhoseLingerEnds(lingerPassed, flushDelays);
    CountDownLatch answer = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    String leader = leaderThatAnswersOnlyAfter(answer, batchSizes);
    List<CompletableFuture<BroadcastResponse>> answers = new ArrayList<>();
    try (LeaderForwarder forwarder = forwarder(recordingFlusher)) {
      answers.add(forwarder.forward(CH, leader, tx(0)));
      awaitFirstBatch(batchSizes); // the lone envelope reached the leader, which owes its answer now
      for (int i = 1; i <= 20; i++) {
        answers.add(forwarder.forward(CH, leader, tx(i)));
      }
      lingerPassed.countDown();
      answer.countDown();
      for (CompletableFuture<BroadcastResponse> a : answers) {
        assertThat(a.get(20, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.SUCCESS);
      }
    } finally {
      recordingFlusher.shutdownNow();
    }
    assertThat(flushDelays).as("the idle stream's flush at once, the busy one's after the linger")
        .containsExactly(0L, LeaderForwarder.BUSY_LINGER.toNanos());
    assertThat(batchSizes).as("envelopes per forwarded batch").containsExactly(1, 20);
  }

  /**
   * A replaced leader passes late forwards on to its successor, so what the linger still held
   * when the leader changed is sent to it then, not refused.
   */
  @Test
  void what_the_linger_held_when_the_leader_changed_is_sent_to_the_old_leader_not_refused() throws Exception {
    List<Long> flushDelays = new CopyOnWriteArrayList<>();
    ScheduledThreadPoolExecutor neverLingersOut = flusherWhoseLingerEnds(new CountDownLatch(1), flushDelays);
    CountDownLatch answer = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    String oldLeader = leaderThatAnswersOnlyAfter(answer, batchSizes);
    try (LeaderForwarder forwarder = forwarder(neverLingersOut)) {
      CompletableFuture<BroadcastResponse> sent = forwarder.forward(CH, oldLeader, tx(0));
      awaitFirstBatch(batchSizes);
      CompletableFuture<BroadcastResponse> heldBack = forwarder.forward(CH, oldLeader, tx(1));
      assertThat(flushDelays).as("held back by the linger").containsExactly(0L, LeaderForwarder.BUSY_LINGER.toNanos());

      forwarder.retire(CH, oldLeader, Duration.ofMinutes(5), "leader changed");
      answer.countDown();

      assertThat(heldBack.get(20, TimeUnit.SECONDS).getStatus()).as("answered by the old leader").isEqualTo(Status.SUCCESS);
      assertThat(sent.get(20, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.SUCCESS);
      assertThat(batchSizes).containsExactly(1, 1);
    } finally {
      neverLingersOut.shutdownNow();
    }
  }

  /**
   * A flusher that records each flush's delay ({@code execute} comes here too, with none) and
   * runs a delayed one only once {@code lingerEnds} is counted down: the test says when the
   * linger has passed, so nothing depends on timing.
   */
  private static ScheduledThreadPoolExecutor flusherWhoseLingerEnds(CountDownLatch lingerEnds, List<Long> flushDelays) {
    return new ScheduledThreadPoolExecutor(1) {
      @Override
      public ScheduledFuture<?> schedule(Runnable flush, long delay, TimeUnit unit) {
        flushDelays.add(unit.toNanos(delay));
        return super.schedule(delay == 0 ? flush : () -> {
          await(lingerEnds);
          flush.run();
        }, delay, unit);
      }
    };
  }

  /** A leader that records each batch's size and answers nothing until {@code answer} is counted down. */
  private String leaderThatAnswersOnlyAfter(CountDownLatch answer, List<Integer> batchSizes) throws Exception {
    return leader(batch -> {
      batchSizes.add(batch.getDataCount());
      return answer.await(20, TimeUnit.SECONDS) ? 0 : -1;
    });
  }

  private static void awaitFirstBatch(List<Integer> batchSizes) throws InterruptedException {
    for (int i = 0; i < 200 && batchSizes.isEmpty(); i++) {
      Thread.sleep(50);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A leader that never answers (vanished without closing the connection, or stuck). */
  @Test
  void a_leader_silent_past_the_limit_gets_what_waits_there_answered_unknown() throws Exception {
    String leader = leader(batch -> -1);
    try (LeaderForwarder forwarder = forwarder()) {
      CompletableFuture<BroadcastResponse> first = forwarder.forward(CH, leader, tx(1));
      CompletableFuture<BroadcastResponse> second = forwarder.forward(CH, leader, tx(2));
      Thread.sleep(SILENCE.toMillis() / 2);
      assertThat(first).as("within the limit").isNotDone();

      BroadcastResponse answer = first.get(10, TimeUnit.SECONDS);
      assertThat(answer.getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
      assertThat(answer.getInfo()).contains("no answer from the Raft leader " + leader + " for 1 s while 2 forwarded",
          "outcome is unknown");
      assertThat(second.get(1, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);

      CompletableFuture<BroadcastResponse> later = forwarder.forward(CH, leader, tx(3));
      assertThat(later.get(10, TimeUnit.SECONDS).getInfo()).as("a new stream, watched the same way")
          .contains("for 1 s while 1 forwarded");
    }
  }

  private LeaderForwarder forwarder() {
    return forwarder(flusher);
  }

  private LeaderForwarder forwarder(ScheduledExecutorService flusher) {
    return new LeaderForwarder(tls, flusher, d -> CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS),
        System::nanoTime, SILENCE);
  }

  private static Envelope tx(int i) {
    return Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("tx" + i)).build();
  }

  interface AnswerDelay {
    /** Milliseconds until the leader answers {@code batch} with SUCCESS for each envelope; negative: never. */
    long millis(BlockData batch) throws InterruptedException;
  }

  /** A leader's Forward service that answers each batch after {@code delay}, in order. */
  private String leader(AnswerDelay delay) throws Exception {
    ServerServiceDefinition service = ServerServiceDefinition.builder(ForwardService.SERVICE)
        .addMethod(ForwardService.FORWARD, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<BlockData>() {
          @Override
          public void onNext(BlockData batch) {
            long millis;
            try {
              millis = delay.millis(batch);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            if (millis < 0) {
              return;
            }
            BlockData.Builder answer = BlockData.newBuilder();
            for (int i = 0; i < batch.getDataCount(); i++) {
              answer.addData(BlockCutter.response(Status.SUCCESS, "").toByteString());
            }
            leaderClock.schedule(() -> {
              synchronized (out) {
                out.onNext(answer.build());
              }
            }, millis, TimeUnit.MILLISECONDS);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }))
        .build();
    server = GrpcServers.builder(new InetSocketAddress(LocalNetworkFixture.HOST, 0),
        TlsContexts.serverRequiringClientAuth(tls)).addService(service).build().start();
    return LocalNetworkFixture.HOST + ":" + server.getPort();
  }
}
