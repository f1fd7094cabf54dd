package io.raftswarm.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.common.tls.TlsMaterial;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardingRulesTest {
  private static final String CH = "mychannel";
  private static final Duration ELECTION_MAX = Duration.ofMillis(1200);

  @TempDir
  Path dir;

  /**
   * A killed leader's overlay address answers nobody, so a forward stream opened to it hangs in
   * connect; here a loopback socket that never answers the TLS handshake plays that address.
   */
  @Test
  void a_leader_whose_connection_broke_gets_no_more_forwards_and_what_waits_there_is_answered_at_once() throws Exception {
    LocalNetworkFixture net = LocalNetworkFixture.create(dir, 1, 0, List.of(CH));
    TlsMaterial tls = TlsMaterial.load(net.orderer(1).tlsDir());
    ExecutorService flusher = Executors.newSingleThreadExecutor();
    AtomicLong clock = new AtomicLong();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LeaderForwarder forwarder = new LeaderForwarder(tls, flusher,
            d -> CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS))) {
      String dead = "127.0.0.1:" + silent.getLocalPort();
      ForwardingRules rules = new ForwardingRules(forwarder, clock::get, ELECTION_MAX.multipliedBy(3),
          ELECTION_MAX.multipliedBy(2), ELECTION_MAX);
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
    } finally {
      flusher.shutdownNow();
    }
  }
}
