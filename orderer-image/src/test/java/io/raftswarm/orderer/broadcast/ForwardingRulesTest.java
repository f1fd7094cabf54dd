package io.raftswarm.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.common.tls.GrpcServers;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardingRulesTest {
  private static final String CH = "mychannel";
  private static final Duration ELECTION_MAX = Duration.ofMillis(1200);
  private static final Duration ELECTION_MIN = Duration.ofMillis(600);

  @TempDir
  Path dir;
  private TlsMaterial tls;
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void orderer() throws Exception {
    LocalNetworkFixture net = LocalNetworkFixture.create(dir, 1, 0, List.of(CH));
    tls = TlsMaterial.load(net.orderer(1).tlsDir());
  }

  @AfterEach
  void stopFlusher() {
    flusher.shutdownNow();
  }

  private LeaderForwarder forwarder() {
    return new LeaderForwarder(tls, flusher, d -> CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS),
        clock::get, Duration.ofSeconds(10));
  }

  /**
   * A killed leader's overlay address answers nobody, so a forward stream opened to it hangs in
   * connect; here a loopback socket that never answers the TLS handshake plays that address.
   */
  @Test
  void a_leader_whose_connection_broke_gets_no_more_forwards_and_what_waits_there_is_answered_at_once() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LeaderForwarder forwarder = forwarder()) {
      String dead = "127.0.0.1:" + silent.getLocalPort();
      ForwardingRules rules = new ForwardingRules(forwarder, clock::get, ELECTION_MAX.multipliedBy(3),
          ELECTION_MAX.multipliedBy(2), ELECTION_MAX, ELECTION_MIN);
      CompletableFuture<BroadcastResponse> hanging = forwarder.forward(CH, dead,
          Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("tx")).build());
      Thread.sleep(300);
      assertThat(hanging).isNotDone();
      assertThat(rules.forwardable(CH, dead)).as("gRPC still sees a connect in progress").isTrue();

      rules.leaderLost(CH, dead);

      BroadcastResponse answer = hanging.get(2, TimeUnit.SECONDS);
      assertThat(answer.getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
      assertThat(answer.getInfo()).contains("broke", "outcome is unknown");
      assertThat(rules.forwardable(CH, dead)).as("right after the loss").isFalse();
      assertThat(rules.forwardable("otherchannel", dead)).as("another channel's leader there is not judged").isTrue();
      clock.addAndGet(ELECTION_MAX.toNanos() - 1);
      assertThat(rules.forwardable(CH, dead)).as("within one election timeout").isFalse();
      clock.addAndGet(1);
      assertThat(rules.forwardable(CH, dead)).as("a leader still named after an election timeout is tried again").isTrue();

      rules.leaderLost(CH, dead);
      rules.forgetLostLeaders(CH);
      assertThat(rules.forwardable(CH, dead)).as("after a leader change").isTrue();
    }
  }

  /**
   * A frozen or cut-off leader (alive, so its connection does not break) never answers; once a
   * newer leader's block is written nothing more commits through it, and what waits there is
   * answered then, not after the grace. An old leader that answered lately is still waited for.
   */
  @Test
  void forwards_at_a_replaced_leader_silent_for_an_election_timeout_are_answered_once_a_newer_term_block_is_written()
      throws Exception {
    Envelope tx = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("tx")).build();
    Duration grace = Duration.ofMinutes(5);
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LeaderForwarder forwarder = forwarder()) {
      String frozen = "127.0.0.1:" + silent.getLocalPort();

      CompletableFuture<BroadcastResponse> lately = forwarder.forward(CH, frozen, tx);
      Thread.sleep(300); // on its way to the frozen leader before the retire
      CompletableFuture<Void> settledEarly = new CompletableFuture<>();
      forwarder.retire(CH, frozen, grace, "grace over", settledEarly, ELECTION_MIN, "settled");
      clock.addAndGet(ELECTION_MIN.toNanos() - 1);
      settledEarly.complete(null);
      Thread.sleep(300);
      assertThat(lately).as("its stream began less than an election timeout ago").isNotDone();

      CompletableFuture<BroadcastResponse> waiting = forwarder.forward(CH, frozen, tx);
      Thread.sleep(300);
      CompletableFuture<Void> settled = new CompletableFuture<>();
      forwarder.retire(CH, frozen, grace, "grace over", settled, ELECTION_MIN, "settled");
      clock.addAndGet(ELECTION_MIN.toNanos());
      Thread.sleep(300);
      assertThat(waiting).as("no newer-term block yet").isNotDone();

      settled.complete(null);

      BroadcastResponse answer = waiting.get(2, TimeUnit.SECONDS);
      assertThat(answer.getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
      assertThat(answer.getInfo()).isEqualTo("settled");
      assertThat(lately).isNotDone();
    }
  }

  /**
   * A leader stopping on purpose tells its followers first ({@link ForwardService#HAND_OFF_NOTICE}):
   * its quiet then is a hand-off (late forwards are passed on and their answers relayed), so
   * what waits there keeps waiting for those answers even once a newer leader's block is written.
   */
  @Test
  void a_replaced_leader_that_announced_a_hand_off_is_waited_for_however_quiet() throws Exception {
    Envelope tx = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("tx")).build();
    CountDownLatch noticeSent = new CountDownLatch(1);
    ServerServiceDefinition handingOff = ServerServiceDefinition.builder(ForwardService.SERVICE)
        .addMethod(ForwardService.FORWARD, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<BlockData>() {
          @Override
          public void onNext(BlockData batch) {
            out.onNext(ForwardService.HAND_OFF_NOTICE); // and no answer yet
            noticeSent.countDown();
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }))
        .build();
    Server server = GrpcServers.builder(new InetSocketAddress(LocalNetworkFixture.HOST, 0),
        TlsContexts.serverRequiringClientAuth(tls)).addService(handingOff).build().start();
    try (LeaderForwarder forwarder = forwarder()) {
      String stopping = LocalNetworkFixture.HOST + ":" + server.getPort();
      CompletableFuture<BroadcastResponse> waiting = forwarder.forward(CH, stopping, tx);
      assertThat(noticeSent.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // the notice reaches the forwarder
      CompletableFuture<Void> settled = new CompletableFuture<>();
      forwarder.retire(CH, stopping, Duration.ofMinutes(5), "grace over", settled, ELECTION_MIN, "settled");
      clock.addAndGet(ELECTION_MIN.toNanos() * 10);

      settled.complete(null);

      Thread.sleep(300);
      assertThat(waiting).as("a hand-off was announced: its answer is still coming").isNotDone();
    } finally {
      server.shutdownNow();
    }
  }
}
