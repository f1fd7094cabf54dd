package io.raftswarm.swarm.drill.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.drill.verdict.Finding.Check;
import io.raftswarm.swarm.drill.verdict.Finding.Severity;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SafetyCheckerTest {

  private static final String CH = "mychannel";
  private static final ZoneId ZONE = ZoneOffset.UTC;
  private static final Instant ACK = Instant.parse("2024-05-01T12:01:07.123Z");
  private final SafetyChecker checker = new SafetyChecker(ZONE);

  private static String orderer(int i) {
    return i == 1 ? "orderer.example.com" : "orderer" + i + ".example.com";
  }

  /** Seven orderers all holding {@code chain}, except the overrides. */
  private static List<NodeChain> sevenOrderers(SyntheticChain chain,
      Map<Integer, List<BlockDigest>> overrides) {
    return IntStream.rangeClosed(1, 7)
        .mapToObj(i -> new NodeChain(orderer(i), CH, overrides.getOrDefault(i, chain.blocks())))
        .toList();
  }

  private static AcknowledgedTx ack(String txId, int orderer) {
    return new AcknowledgedTx(txId, CH, orderer(orderer), ACK);
  }

  private static SafetyInputs inputs(List<AcknowledgedTx> acked, List<NodeChain> chains) {
    return new SafetyInputs(acked, Set.of(), chains, List.of(), List.of());
  }

  @Test
  void when_all_orderers_hold_the_same_chain_and_every_ack_is_in_it_once_then_pass() {
    SyntheticChain chain = SyntheticChain.ofCount(20, 3);
    List<AcknowledgedTx> acked = List.of(ack("tx-5-1", 3), ack("tx-19-2", 1), ack("tx-7-0", 6));

    SafetyVerdict v = checker.check(inputs(acked, sevenOrderers(chain, Map.of())));

    assertThat(v.pass()).isTrue();
    assertThat(v.findings()).isEmpty();
    assertThat(v.acknowledged()).isEqualTo(3);
    assertThat(v.committedOnce()).isEqualTo(3);
    assertThat(v.lost()).isZero();
    assertThat(v.duplicated()).isZero();
    assertThat(v.agreedHeights()).containsEntry(CH, 20L);
  }

  @Test
  void when_one_orderer_holds_a_block_whose_data_was_altered_then_fail_names_block_and_node() {
    SyntheticChain chain = SyntheticChain.ofCount(20, 3);
    List<NodeChain> chains = sevenOrderers(chain,
        Map.of(4, chain.with(17, SyntheticChain::tamperData)));

    SafetyVerdict v = checker.check(inputs(List.of(), chains));

    assertThat(v.pass()).isFalse();
    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.CHAIN_INTEGRITY);
      assertThat(f.block()).isEqualTo(17);
      assertThat(f.nodes()).containsExactly("orderer4.example.com");
      assertThat(f.message()).contains("orderer4.example.com", "mychannel", "block [17]",
          SafetyChecker.shortHash(chain.blocks().get(17).dataHash()));
    });
  }

  @Test
  void when_one_orderer_holds_a_forked_block_then_fail_names_it_against_the_six_others() {
    SyntheticChain chain = SyntheticChain.ofCount(20, 3);
    List<BlockDigest> forked = chain.forkedFrom(17);
    List<NodeChain> chains = sevenOrderers(chain, Map.of(4, forked));

    SafetyVerdict v = checker.check(inputs(List.of(), chains));

    assertThat(v.pass()).isFalse();
    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.BLOCK_DIVERGENCE);
      assertThat(f.block()).isEqualTo(17);
      assertThat(f.nodes()).containsExactly("orderer4.example.com");
      assertThat(f.message())
          .contains("orderer4.example.com mychannel block [17] header hash "
              + SafetyChecker.shortHash(forked.get(17).headerHash()))
          .contains("differs from " + SafetyChecker.shortHash(chain.blocks().get(17).headerHash())
              + " on 6 other orderers")
          .contains("2 later block(s) differ too");
    });
  }

  @Test
  void when_a_block_does_not_link_to_the_one_before_then_fail_names_the_broken_link() {
    SyntheticChain chain = SyntheticChain.ofCount(10, 1);
    List<BlockDigest> relinked = chain.with(6,
        b -> SyntheticChain.block(6, SyntheticChain.sha256("elsewhere"), b.txIds()));
    List<NodeChain> chains = List.of(new NodeChain(orderer(2), CH, relinked));

    SafetyVerdict v = checker.check(inputs(List.of(), chains));

    assertThat(v.failures()).extracting(Finding::check, Finding::block)
        .contains(org.assertj.core.groups.Tuple.tuple(Check.CHAIN_INTEGRITY, 6L),
            org.assertj.core.groups.Tuple.tuple(Check.CHAIN_INTEGRITY, 7L));
    assertThat(v.failures()).anySatisfy(f -> assertThat(f.message())
        .contains("orderer2.example.com mychannel block [6] previous hash"));
  }

  @Test
  void when_a_chain_has_a_gap_then_fail_names_the_missing_blocks() {
    SyntheticChain chain = SyntheticChain.ofCount(10, 1);
    List<BlockDigest> gapped = new ArrayList<>(chain.blocks());
    gapped.remove(5);
    gapped.remove(4);

    SafetyVerdict v = checker.check(inputs(List.of(), List.of(new NodeChain(orderer(3), CH, gapped))));

    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.CHAIN_INTEGRITY);
      assertThat(f.block()).isEqualTo(4);
      assertThat(f.message()).contains("blocks [4..5] are missing");
    });
  }

  @Test
  void when_an_acknowledged_tx_is_in_no_chain_then_fail_names_tx_orderer_and_ack_time() {
    SyntheticChain chain = SyntheticChain.ofCount(5, 2);
    String lostTx = "7d2a9c0e5b11f00d";

    SafetyVerdict v = checker.check(
        inputs(List.of(ack(lostTx, 3), ack("tx-1-1", 1)), sevenOrderers(chain, Map.of())));

    assertThat(v.pass()).isFalse();
    assertThat(v.lost()).isEqualTo(1);
    assertThat(v.committedOnce()).isEqualTo(1);
    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.TX_LOST);
      assertThat(f.nodes()).containsExactly("orderer3.example.com");
      assertThat(f.message()).contains("tx 7d2a9c0e5b… acknowledged by orderer3.example.com at "
          + SafetyChecker.formatTime(ACK, ZONE) + " is missing from every chain");
    });
  }

  @Test
  void when_an_acknowledged_tx_is_only_in_a_diverged_block_then_fail_says_where_it_is() {
    SyntheticChain chain = SyntheticChain.ofCount(6, 1);
    List<NodeChain> chains = sevenOrderers(chain, Map.of(7, chain.forkedFrom(4)));

    SafetyVerdict v = checker.check(inputs(List.of(ack("fork-tx", 7)), chains));

    assertThat(v.failures()).anySatisfy(f -> {
      assertThat(f.check()).isEqualTo(Check.TX_LOST);
      assertThat(f.message()).contains("not in the agreed chain", "only in orderer7.example.com block [4]");
    });
  }

  @Test
  void when_an_acknowledged_tx_is_committed_twice_then_fail_lists_both_blocks() {
    SyntheticChain chain = SyntheticChain.of(List.of(
        List.of("a"), List.of("dup", "b"), List.of("c"), List.of("dup")));

    SafetyVerdict v = checker.check(inputs(List.of(ack("dup", 2)), sevenOrderers(chain, Map.of())));

    assertThat(v.duplicated()).isEqualTo(1);
    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.TX_DUPLICATED);
      assertThat(f.block()).isEqualTo(3);
      assertThat(f.message()).contains("appears 2 times", "blocks [1, 3]");
    });
  }

  @Test
  void when_an_orderer_is_behind_then_pass_with_a_not_converged_warning() {
    SyntheticChain chain = SyntheticChain.ofCount(12, 1);
    List<NodeChain> chains = sevenOrderers(chain, Map.of(5, chain.blocks().subList(0, 9)));

    SafetyVerdict v = checker.check(inputs(List.of(ack("tx-11-0", 1)), chains));

    assertThat(v.pass()).isTrue();
    assertThat(v.warnings()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.NOT_CONVERGED);
      assertThat(f.message()).contains("orderer5.example.com", "height 9", "agreed chain at 12");
    });
  }

  @Test
  void when_two_halves_disagree_with_no_majority_then_fail_names_both_sides() {
    SyntheticChain chain = SyntheticChain.ofCount(4, 1);
    List<NodeChain> chains = List.of(
        new NodeChain(orderer(1), CH, chain.blocks()),
        new NodeChain(orderer(2), CH, chain.forkedFrom(2)));

    SafetyVerdict v = checker.check(inputs(List.of(), chains));

    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.block()).isEqualTo(2);
      assertThat(f.message()).contains("no majority", orderer(1), orderer(2));
    });
  }

  @Test
  void when_a_peer_reports_a_different_block_hash_then_fail_names_the_peer() {
    SyntheticChain chain = SyntheticChain.ofCount(8, 1);
    PeerLedger good = new PeerLedger("peer0.org1.example.com", CH, 8,
        Map.of(7L, chain.blocks().get(7).headerHash()), "s1");
    PeerLedger bad = new PeerLedger("peer1.org2.example.com", CH, 8,
        Map.of(7L, SyntheticChain.sha256("other")), "s1");

    SafetyVerdict v = checker.check(new SafetyInputs(List.of(), Set.of(),
        sevenOrderers(chain, Map.of()), List.of(good, bad), List.of()));

    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.BLOCK_DIVERGENCE);
      assertThat(f.nodes()).containsExactly("peer1.org2.example.com");
      assertThat(f.message()).contains("block [7]", "on 8 other nodes");
    });
  }

  @Test
  void when_peers_at_the_same_height_have_different_state_hashes_then_fail_names_the_odd_one() {
    SyntheticChain chain = SyntheticChain.ofCount(8, 1);
    List<PeerLedger> peers = List.of(
        new PeerLedger("peer0.org1.example.com", CH, 8, Map.of(), "aaaa"),
        new PeerLedger("peer1.org1.example.com", CH, 8, Map.of(), "aaaa"),
        new PeerLedger("peer0.org2.example.com", CH, 8, Map.of(), "bbbb"),
        new PeerLedger("peer1.org2.example.com", CH, 6, Map.of(), "cccc"));

    SafetyVerdict v = checker.check(new SafetyInputs(List.of(), Set.of(),
        sevenOrderers(chain, Map.of()), peers, List.of()));

    assertThat(v.failures()).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(Check.STATE_DIVERGENCE);
      assertThat(f.nodes()).containsExactly("peer0.org2.example.com");
      assertThat(f.message()).contains("height 8", "bbbb", "aaaa", "2 other peer(s)");
    });
    assertThat(v.warnings()).extracting(Finding::check).containsExactly(Check.NOT_CONVERGED);
  }

  @Test
  void when_no_chain_was_collected_for_a_channel_with_acks_then_fail() {
    SafetyVerdict v = checker.check(inputs(List.of(ack("x", 1)), List.of()));

    assertThat(v.pass()).isFalse();
    assertThat(v.failures()).singleElement()
        .extracting(Finding::check).isEqualTo(Check.NOT_COLLECTED);
  }

  @Test
  void when_a_node_could_not_be_collected_then_warn_and_count_txs_committed_without_ack() {
    SyntheticChain chain = SyntheticChain.ofCount(3, 2);
    SafetyInputs in = new SafetyInputs(List.of(ack("tx-0-0", 1)), Set.of("tx-2-1", "never-sent"),
        sevenOrderers(chain, Map.of()), List.of(),
        List.of(new CollectionGap(orderer(6), CH, "connection refused")));

    SafetyVerdict v = checker.check(in);

    assertThat(v.pass()).isTrue();
    assertThat(v.committedWithoutAck()).isEqualTo(1);
    assertThat(v.warnings()).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.WARN);
      assertThat(f.message()).contains(orderer(6), "connection refused");
    });
  }
}
