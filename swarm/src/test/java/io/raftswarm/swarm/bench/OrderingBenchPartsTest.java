package io.raftswarm.swarm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.client.BroadcastConnector;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.Test;

class OrderingBenchPartsTest {

  /** Answers in order on one thread per stream; every third envelope gets SERVICE_UNAVAILABLE. */
  private static final class FakeOrderer implements BroadcastConnector {
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger maxUnanswered = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final List<ExecutorService> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Session open(String orderer, Listener listener) {
      ExecutorService stream = Executors.newSingleThreadExecutor();
      streams.add(stream);
      return new Session() {
        @Override
        public void send(Envelope envelope) {
          int n = received.incrementAndGet();
          maxUnanswered.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
          Status status = n % 3 == 0 ? Status.SERVICE_UNAVAILABLE : Status.SUCCESS;
          stream.execute(() -> {
            unanswered.decrementAndGet();
            listener.onResponse(BroadcastResponse.newBuilder().setStatus(status)
                .setInfo(status == Status.SUCCESS ? "" : "no Raft leader").build());
          });
        }

        @Override
        public void close() {
          stream.shutdown();
        }
      };
    }

    @Override
    public void close() {
      streams.forEach(ExecutorService::shutdownNow);
    }
  }

  private static EnvelopePool pool(int n) {
    Envelope[] envelopes = new Envelope[n];
    for (int i = 0; i < n; i++) {
      envelopes[i] = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("tx" + i)).build();
    }
    return new EnvelopePool(envelopes);
  }

  @Test
  void when_pool_is_sent_pipelined_then_every_envelope_is_counted_once_and_windows_are_respected() {
    AckStats stats = new AckStats(0, Long.MAX_VALUE);
    try (FakeOrderer orderer = new FakeOrderer()) {
      PipelinedSender sender = new PipelinedSender(orderer, "orderer2.example.com", 3, 5, pool(300), stats,
          System::nanoTime);
      sender.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.inFlight() == 0 && orderer.received.get() == 300);
      AckStats.Snapshot s = stats.snapshot();
      assertThat(s.acks()).isEqualTo(200);
      assertThat(s.notSuccessInWindow()).containsExactly(Map.entry("SERVICE_UNAVAILABLE: no Raft leader", 100L));
      assertThat(s.answersTotal()).isEqualTo(300);
      assertThat(orderer.maxUnanswered.get()).isLessThanOrEqualTo(3 * 5);
      assertThat(sender.poolExhaustedAtNanos()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void answers_outside_the_window_are_not_counted_as_throughput() {
    AckStats stats = new AckStats(1_000, 2_000);
    stats.acked(0, 999);
    stats.acked(900, 1_500);
    stats.acked(1_500, 2_000);
    stats.failed(500, "stream error: reset");
    AckStats.Snapshot s = stats.snapshot();
    assertThat(s.acks()).isEqualTo(1);
    assertThat(s.notSuccessInWindow()).isEmpty();
    assertThat(s.notSuccessOutsideWindow()).containsExactly(Map.entry("stream error: reset", 1L));
    assertThat(s.answersTotal()).isEqualTo(4);
  }

  @Test
  void picks_a_follower_that_knows_the_leader_unless_an_orderer_is_named() {
    NetworkProfile profile = new NetworkProfile("net", "example.com", "/tmp/crypto", List.of("mychannel"),
        List.of(), List.of(node("orderer.example.com", 1), node("orderer2.example.com", 2),
            node("orderer3.example.com", 3)));
    Map<String, StatusSample> statuses = new LinkedHashMap<>();
    statuses.put("orderer.example.com", sample("orderer.example.com", 1, "LEADER", 1));
    statuses.put("orderer2.example.com", sample("orderer2.example.com", 2, "FOLLOWER", 0));
    statuses.put("orderer3.example.com", sample("orderer3.example.com", 3, "FOLLOWER", 1));

    assertThat(TargetPicker.pick(profile, statuses, "mychannel", null))
        .isEqualTo(new TargetPicker.Target("orderer3.example.com", "FOLLOWER", "orderer.example.com"));
    assertThat(TargetPicker.pick(profile, statuses, "mychannel", "orderer"))
        .isEqualTo(new TargetPicker.Target("orderer.example.com", "LEADER", "orderer.example.com"));
  }

  private static NetworkProfile.NodeEntry node(String name, int id) {
    return new NetworkProfile.NodeEntry(name, "orderer", "OrdererOrg", "OrdererMSP", "host1",
        name + ":7050", "10.0.0.1:" + (7050 + id), "10.0.0.1:" + (9440 + id), "/tmp/ca.pem", id);
  }

  private static StatusSample sample(String name, int id, String role, int leader) {
    return new StatusSample(Instant.EPOCH, name, new OrdererStatus(name,
        List.of(new OrdererChannelStatus("mychannel", id, role, leader, 2, 10, "abc", 20, 1, 0))), null);
  }

  @Test
  void a_reused_pool_hands_its_envelopes_out_again_and_must_outgrow_the_txid_window() {
    Envelope[] few = new Envelope[3];
    for (int i = 0; i < few.length; i++) {
      few[i] = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("tx" + i)).build();
    }
    EnvelopePool once = new EnvelopePool(few);
    once.take();
    once.take();
    once.take();
    assertThat(once.take()).as("used up").isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EnvelopePool(few, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100000");
    Envelope[] many = new Envelope[EnvelopePool.ORDERER_TXID_WINDOW + 1];
    java.util.Arrays.fill(many, few[0]);
    many[0] = few[1];
    EnvelopePool cycling = new EnvelopePool(many, true);
    for (int i = 0; i < many.length; i++) {
      assertThat(cycling.take()).isNotNull();
    }
    assertThat(cycling.take()).as("back to the first").isSameAs(few[1]);
  }

  @Test
  void interval_counts_cover_every_answer_and_reset_when_taken() {
    AckStats stats = new AckStats(1_000, 2_000);
    stats.acked(0, 500);
    stats.acked(0, 1_500);
    stats.failed(1_600, "SERVICE_UNAVAILABLE");
    assertThat(stats.takeInterval()).containsExactly(2, 1);
    stats.acked(0, 2_500);
    assertThat(stats.takeInterval()).containsExactly(1, 0);
    assertThat(stats.snapshot().acks()).as("the window counts only its own").isEqualTo(1);
  }

  @Test
  void a_window_of_forward_timeouts_while_blocks_were_cut_says_the_load_outruns_the_channel() {
    AckStats stats = new AckStats(0, 10_000);
    stats.acked(0, 100);
    for (int i = 0; i < 50; i++) {
      stats.failed(200, "SERVICE_UNAVAILABLE: no answer from the Raft leader orderer7.example.com:7050 within 10 s");
    }
    String text = result(stats, 854).text();
    assertThat(text).contains("grew by 854 blocks in the window (10.0 tx/block) while 50 envelopes got no answer")
        .contains("4 streams × 1500 in flight")
        .contains("raftswarm channel update -C mychannel --max-message-count 500");
  }

  /** Orderers wait for a leader that keeps answering, so an overloaded channel shows as latency. */
  @Test
  void a_window_of_slow_acknowledgements_while_blocks_were_cut_says_the_load_queues_at_the_leader() {
    AckStats stats = new AckStats(0, 30_000_000_000L);
    for (int i = 0; i < 60; i++) {
      stats.acked(1_000_000_000L, 9_000_000_000L);
    }
    String text = result(stats, 6).text();
    assertThat(text).contains("grew by 6 blocks in the window (10.0 tx/block) while half the answers took over 8.0 s")
        .contains("wait in the Raft leader's queue")
        .contains("raftswarm channel update -C mychannel --max-message-count 500");
  }

  @Test
  void no_hint_when_acknowledgements_dominate_or_nothing_was_cut() {
    AckStats acked = new AckStats(0, 10_000);
    for (int i = 0; i < 60; i++) {
      acked.acked(0, 100);
    }
    acked.failed(200, "SERVICE_UNAVAILABLE: no answer from the Raft leader orderer7.example.com:7050 within 10 s");
    assertThat(result(acked, 10).text()).as("answered in 100 ms").doesNotContain("NOTE: the channel grew");
    AckStats down = new AckStats(0, 10_000);
    down.failed(200, "SERVICE_UNAVAILABLE: no answer from the Raft leader orderer7.example.com:7050 within 10 s");
    assertThat(result(down, 0).text()).as("no blocks: the leader is gone, not slow").doesNotContain("NOTE: the channel grew");
  }

  private static OrderingBenchResult result(AckStats stats, long blocks) {
    return new OrderingBenchResult("orderer.example.com", "FOLLOWER", "orderer7.example.com", "mychannel", 4, 1500,
        2115, 200_000, 32_250, stats.snapshot(), blocks, 10.0, 1, 1, false, 0);
  }
}
