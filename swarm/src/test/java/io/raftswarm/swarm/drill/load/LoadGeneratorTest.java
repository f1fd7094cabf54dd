package io.raftswarm.swarm.drill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

  private static LoadPlan plan(List<String> orderers, int maxTxs, Duration grace) {
    return new LoadPlan(orderers, List.of("mychannel", "other"), 500, maxTxs,
        Duration.ofSeconds(20), 20, grace, Duration.ofMillis(20));
  }

  private static LoadResult run(LoadPlan plan, FakeOrderers orderers) throws Exception {
    try (LoadGenerator load = new LoadGenerator(plan, orderers, FakeOrderers.counting(),
        Clock.systemUTC())) {
      load.start();
      return load.done().get(25, TimeUnit.SECONDS);
    } finally {
      orderers.close();
    }
  }

  @Test
  void when_every_orderer_acknowledges_then_every_sent_tx_is_recorded_once_as_success() throws Exception {
    FakeOrderers orderers = new FakeOrderers((o, tx) -> Status.SUCCESS);

    LoadResult result = run(plan(List.of("o1", "o2", "o3"), 60, Duration.ofSeconds(2)), orderers);

    assertThat(result.records()).hasSize(60);
    assertThat(result.records()).extracting(TxRecord::txId).doesNotHaveDuplicates();
    assertThat(result.records()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(TxOutcome.SUCCESS));
    assertThat(result.records().stream().collect(Collectors.groupingBy(TxRecord::orderer,
        Collectors.counting()))).containsOnlyKeys("o1", "o2", "o3").allSatisfy((o, n) ->
        assertThat(n).isEqualTo(20L));
    assertThat(result.records()).extracting(TxRecord::channel).contains("mychannel", "other");
  }

  @Test
  void when_answers_mix_success_and_rejection_then_each_answer_is_matched_to_its_own_tx() throws Exception {
    // pipelined answers carry no tx id: matching relies on order, which this checks per tx
    FakeOrderers orderers = new FakeOrderers((o, tx) ->
        FakeOrderers.number(tx) % 3 == 0 ? Status.SERVICE_UNAVAILABLE : Status.SUCCESS);

    LoadResult result = run(plan(List.of("o1", "o2"), 90, Duration.ofSeconds(2)), orderers);

    assertThat(result.records()).hasSize(90).allSatisfy(r -> {
      Status decided = orderers.decided.get(r.txId());
      if (decided == Status.SUCCESS) {
        assertThat(r.outcome()).isEqualTo(TxOutcome.SUCCESS);
      } else {
        assertThat(r.outcome()).isEqualTo(TxOutcome.REJECTED);
        assertThat(r.detail()).contains("SERVICE_UNAVAILABLE", "no Raft leader");
      }
    });
  }

  @Test
  void when_a_stream_breaks_then_its_txs_are_errors_and_a_new_stream_is_opened() throws Exception {
    FakeOrderers orderers = new FakeOrderers((o, tx) ->
        o.equals("o2") && FakeOrderers.number(tx) % 10 == 0 ? FakeOrderers.BREAK : Status.SUCCESS);

    LoadResult result = run(plan(List.of("o1", "o2"), 100, Duration.ofSeconds(2)), orderers);

    List<TxRecord> errors = result.records().stream()
        .filter(r -> r.outcome() == TxOutcome.ERROR).toList();
    assertThat(errors).isNotEmpty().allSatisfy(r -> {
      assertThat(r.orderer()).isEqualTo("o2");
      assertThat(r.detail()).contains("connection reset");
    });
    assertThat(orderers.opened.get("o2").get()).isGreaterThan(1);
    assertThat(orderers.opened.get("o1").get()).isEqualTo(1);
    assertThat(result.records()).extracting(TxRecord::txId).doesNotHaveDuplicates();
  }

  @Test
  void when_an_orderer_never_answers_then_its_txs_end_as_no_answer_and_in_flight_is_bounded() throws Exception {
    FakeOrderers orderers = new FakeOrderers((o, tx) ->
        o.equals("silent") ? FakeOrderers.SILENT : Status.SUCCESS);
    LoadPlan plan = new LoadPlan(List.of("ok", "silent"), List.of("mychannel"), 500, 100,
        Duration.ofSeconds(20), 5, Duration.ofMillis(300), Duration.ofMillis(20));

    LoadResult result = run(plan, orderers);

    Map<TxOutcome, Long> silent = result.records().stream()
        .filter(r -> r.orderer().equals("silent"))
        .collect(Collectors.groupingBy(TxRecord::outcome, Collectors.counting()));
    assertThat(silent).containsOnlyKeys(TxOutcome.NO_ANSWER).containsEntry(TxOutcome.NO_ANSWER, 5L);
    assertThat(result.skippedInFlight()).isGreaterThan(0);
    assertThat(result.records().stream().filter(r -> r.orderer().equals("ok")))
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(TxOutcome.SUCCESS));
  }

  @Test
  void when_stopped_early_then_the_load_finishes_with_what_it_sent() throws Exception {
    FakeOrderers orderers = new FakeOrderers((o, tx) -> Status.SUCCESS);
    LoadPlan plan = new LoadPlan(List.of("o1"), List.of("mychannel"), 50, 1_000_000,
        Duration.ofMinutes(10), 20, Duration.ofSeconds(2), Duration.ofMillis(20));
    try (LoadGenerator load = new LoadGenerator(plan, orderers, FakeOrderers.counting(),
        Clock.systemUTC())) {
      load.start();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> orderers.decided.size() >= 5);
      load.stop();
      LoadResult result = load.done().get(10, TimeUnit.SECONDS);
      assertThat(result.records()).hasSizeGreaterThanOrEqualTo(5).hasSizeLessThan(1_000_000)
          .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(TxOutcome.SUCCESS));
    } finally {
      orderers.close();
    }
  }
}
