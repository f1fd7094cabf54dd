package io.raftswarm.orderer.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.orderer.raft.ChannelStateMachine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BlockCutterTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<BlockData> proposed = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<String>> commits = new CopyOnWriteArrayList<>();
  private final BlockCutter cutter = recordingCutter(new BatchSettings(Duration.ofSeconds(30), 2, 1024 * 1024, 512 * 1024),
      false, System::nanoTime);

  /** A cutter whose proposals land in {@link #proposed}, each committing when its {@link #commits} future completes. */
  private BlockCutter recordingCutter(BatchSettings batch, boolean cutWhenIdle, LongSupplier clock) {
    return new BlockCutter("test", batch, 5, cutWhenIdle, bytes -> {
      proposed.add(parse(bytes));
      CompletableFuture<String> commit = new CompletableFuture<>();
      commits.add(commit);
      return commit;
    }, txId -> false, () -> 1, scheduler, clock);
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static BlockData parse(byte[] batch) {
    try {
      return BlockData.parseFrom(batch);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the cutter proposed bytes that are not a BlockData", e);
    }
  }

  @Test
  void a_batch_is_serialized_as_the_block_data_of_its_envelopes() {
    List<Envelope> envelopes = List.of(tx("a"), tx(""), tx("c".repeat(300)));
    BlockData expected = BlockData.newBuilder().addAllData(envelopes.stream().map(Envelope::toByteString).toList()).build();
    assertThat(BlockCutter.serialize(envelopes)).isEqualTo(expected.toByteArray());
    assertThat(BlockCutter.serialize(List.of())).isEqualTo(BlockData.getDefaultInstance().toByteArray());
  }

  private static Envelope tx(String payload) {
    return Envelope.newBuilder().setPayload(ByteString.copyFromUtf8(payload)).build();
  }

  @Test
  void batches_cut_before_the_leader_is_ready_are_proposed_when_it_becomes_ready() {
    cutter.becomeLeader(false);
    CompletableFuture<BroadcastResponse> a = cutter.submit(tx("a"), "a");
    cutter.submit(tx("b"), "b");

    assertThat(proposed).isEmpty();

    cutter.leaderReady();

    assertThat(proposed).hasSize(1);
    assertThat(proposed.get(0).getDataCount()).isEqualTo(2);
    assertThat(a).isNotDone();
    commits.get(0).complete("committed");
    assertThat(a.join().getStatus()).isEqualTo(Status.SUCCESS);
  }

  @Test
  void a_new_leader_proposes_what_it_collected_before_ready_without_waiting_for_the_batch_timeout() {
    cutter.becomeLeader(false);
    cutter.submit(tx("a"), "a");
    cutter.submit(tx("b"), "b");
    cutter.submit(tx("c"), "c");

    cutter.leaderReady();

    // MaxMessageCount 2 cut [a, b]; [c] alone would wait 30 s for the BatchTimeout.
    assertThat(proposed).hasSize(2);
    assertThat(proposed.get(1).getDataList()).containsExactly(tx("c").toByteString());
  }

  @Test
  void a_ready_leader_proposes_a_full_batch_at_once_and_acks_only_after_commit() {
    cutter.becomeLeader(true);
    CompletableFuture<BroadcastResponse> a = cutter.submit(tx("a"), "a");
    CompletableFuture<BroadcastResponse> b = cutter.submit(tx("b"), "b");

    assertThat(proposed).hasSize(1);
    assertThat(a).isNotDone();
    commits.get(0).complete("committed");
    assertThat(List.of(a.join().getStatus(), b.join().getStatus())).containsOnly(Status.SUCCESS);
  }

  @Test
  void stepping_down_answers_service_unavailable_for_held_and_proposed_transactions() {
    cutter.becomeLeader(false);
    CompletableFuture<BroadcastResponse> held = cutter.submit(tx("a"), "a");

    cutter.stepDown("leader changed");

    assertThat(held.join().getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
    cutter.leaderReady();
    assertThat(proposed).isEmpty();
    assertThat(cutter.submit(tx("c"), "c").join().getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
  }

  @Test
  void a_transaction_id_already_pending_is_refused_as_duplicate() {
    cutter.becomeLeader(true);
    cutter.submit(tx("a"), "a");

    assertThat(cutter.submit(tx("a"), "a").join().getStatus()).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void created_blocks_are_logged_with_the_numbers_they_get_while_a_committed_block_waits_for_its_answer() {
    AtomicLong height = new AtomicLong(5);
    BlockCutter numbered = new BlockCutter("test", new BatchSettings(Duration.ofSeconds(30), 1, 1024 * 1024, 512 * 1024),
        5, false, batch -> {
          CompletableFuture<String> commit = new CompletableFuture<>();
          commits.add(commit);
          return commit;
        }, txId -> false, height::get, scheduler, System::nanoTime);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger("orderer.consensus.etcdraft");
    log.start();
    logger.addAppender(log);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    try {
      numbered.becomeLeader(false);
      numbered.leaderReady();
      numbered.submit(tx("a"), "a"); // block 5
      numbered.submit(tx("b"), "b"); // block 6
      height.set(6); // block 5 is in the ledger, its proposal not answered yet
      numbered.submit(tx("c"), "c"); // block 7 (the ledger height alone said 8)
      commits.get(0).complete("committed");
      commits.get(1).complete(ChannelStateMachine.ALL_DUPLICATES); // no block 6 after all: c became 6
      numbered.submit(tx("d"), "d"); // so this one is 7

      assertThat(log.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.startsWith("Created block")).map(m -> m.substring(0, m.indexOf(']') + 1)))
          .containsExactly("Created block [5]", "Created block [6]", "Created block [7]", "Created block [7]");
    } finally {
      logger.detachAppender(log);
      logger.setLevel(level);
    }
  }

  /** The idle cutter's clock, in nanoseconds; tests move it. */
  private final AtomicLong now = new AtomicLong();

  /**
   * MaxMessageCount 3, BatchTimeout 30 s (idle cuts at least 3 s apart), on {@link #now}: anything
   * proposed before the count or the timeout is an idle cut.
   */
  private BlockCutter cuttingWhenIdle(Duration batchTimeout) {
    return recordingCutter(new BatchSettings(batchTimeout, 3, 1024 * 1024, 512 * 1024), true, now::get);
  }

  @Test
  void cutting_when_idle_proposes_a_lone_transaction_at_once_and_what_collects_meanwhile_when_it_commits() {
    BlockCutter idle = cuttingWhenIdle(Duration.ofSeconds(30));
    idle.becomeLeader(true);

    CompletableFuture<BroadcastResponse> a = idle.submit(tx("a"), "a");
    assertThat(proposed).hasSize(1); // not after the 30 s BatchTimeout

    CompletableFuture<BroadcastResponse> b = idle.submit(tx("b"), "b");
    CompletableFuture<BroadcastResponse> c = idle.submit(tx("c"), "c");
    assertThat(proposed).hasSize(1); // a block is in flight: b and c collect

    now.addAndGet(Duration.ofSeconds(3).toNanos());
    commits.get(0).complete("committed");
    assertThat(a.join().getStatus()).isEqualTo(Status.SUCCESS);
    assertThat(proposed).hasSize(2);
    assertThat(proposed.get(1).getDataList()).containsExactly(tx("b").toByteString(), tx("c").toByteString());
    assertThat(b).isNotDone();
    commits.get(1).complete("committed");
    assertThat(List.of(b.join().getStatus(), c.join().getStatus())).containsOnly(Status.SUCCESS);
    assertThat(proposed).hasSize(2); // nothing left to cut
  }

  @Test
  void idle_cuts_are_a_tenth_of_the_batch_timeout_apart() {
    BlockCutter idle = cuttingWhenIdle(Duration.ofSeconds(30));
    idle.becomeLeader(true);
    idle.submit(tx("a"), "a"); // cut at 0 s
    idle.submit(tx("b"), "b");

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    commits.get(0).complete("committed");
    // Idle again 1 s after the last cut: b waits for the 3 s spacing.
    assertThat(proposed).hasSize(1);

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    idle.submit(tx("c"), "c");
    assertThat(proposed).hasSize(2);
    assertThat(proposed.get(1).getDataList()).containsExactly(tx("b").toByteString(), tx("c").toByteString());
  }

  @Test
  void a_batch_that_found_the_pipeline_idle_too_early_is_cut_once_the_spacing_has_passed() {
    // A 1 s spacing, timed by the scheduler's own clock; the 10 s BatchTimeout comes after the wait below.
    BlockCutter idle = cuttingWhenIdle(Duration.ofSeconds(10));
    idle.becomeLeader(true);
    idle.submit(tx("a"), "a");
    idle.submit(tx("b"), "b");
    commits.get(0).complete("committed"); // the cutter's clock has not moved: b waits

    assertThat(proposed).hasSize(1);
    await().atMost(Duration.ofSeconds(8)).until(() -> proposed.size() == 2);
    assertThat(proposed.get(1).getDataList()).containsExactly(tx("b").toByteString());
  }

  @Test
  void cutting_when_idle_still_fills_batches_while_blocks_are_in_flight() {
    BlockCutter idle = cuttingWhenIdle(Duration.ofSeconds(30));
    idle.becomeLeader(true);
    idle.submit(tx("a"), "a"); // proposed at once
    for (String id : List.of("b", "c", "d", "e")) {
      idle.submit(tx(id), id);
    }

    // [b, c, d] reached MaxMessageCount while [a] was in flight; [e] waits for a block to commit.
    assertThat(proposed).hasSize(2);
    assertThat(proposed.get(1).getDataCount()).isEqualTo(3);
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    commits.get(0).complete("committed");
    assertThat(proposed).hasSize(2); // [b, c, d] is still in flight
    commits.get(1).complete("committed");
    assertThat(proposed).hasSize(3);
    assertThat(proposed.get(2).getDataList()).containsExactly(tx("e").toByteString());
  }

  @Test
  void cutting_when_idle_waits_for_the_leader_to_be_ready() {
    BlockCutter idle = cuttingWhenIdle(Duration.ofSeconds(30));
    idle.becomeLeader(false);
    idle.submit(tx("a"), "a");
    assertThat(proposed).isEmpty();
    idle.leaderReady();
    assertThat(proposed).hasSize(1);
  }

  @Test
  void without_cutting_when_idle_a_lone_transaction_waits_for_the_batch_timeout() {
    cutter.becomeLeader(true);
    cutter.submit(tx("a"), "a");
    assertThat(proposed).isEmpty();
  }
}
