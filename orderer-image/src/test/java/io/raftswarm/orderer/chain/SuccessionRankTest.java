package io.raftswarm.orderer.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SuccessionRankTest {
  private static final List<Integer> SEVEN = List.of(1, 2, 3, 4, 5, 6, 7);

  private static List<Integer> order(int lost, Set<Integer> preferred) {
    Integer[] byRank = new Integer[SEVEN.size() - 1];
    SEVEN.stream().filter(id -> id != lost).forEach(id -> byRank[Chain.successionRank(SEVEN, lost, id, preferred)] = id);
    return List.of(byRank);
  }

  @Test
  void without_preference_the_successors_follow_the_lost_leader_around_the_ring() {
    Set<Integer> all = Set.copyOf(SEVEN);

    assertThat(order(3, all)).containsExactly(4, 5, 6, 7, 1, 2);
    assertThat(order(7, all)).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void preferred_leaders_go_first_each_group_in_ring_order() {
    // the lab: orderers 1, 2, 5 and 7 on host1, which runs four of the seven
    Set<Integer> host1 = Set.of(1, 2, 5, 7);

    assertThat(order(5, host1)).containsExactly(7, 1, 2, 6, 3, 4);
    assertThat(order(3, host1)).containsExactly(5, 7, 1, 2, 4, 6);
  }

  @Test
  void every_successor_has_its_own_rank_and_the_lost_leader_none_among_them() {
    Set<Integer> host1 = Set.of(1, 2, 5, 7);
    for (int lost : SEVEN) {
      List<Integer> ranks = SEVEN.stream().filter(id -> id != lost).map(id -> Chain.successionRank(SEVEN, lost, id, host1)).sorted().toList();
      assertThat(ranks).containsExactlyElementsOf(IntStream.range(0, 6).boxed().toList());
      assertThat(Chain.successionRank(SEVEN, lost, lost, host1)).isEqualTo(6);
    }
  }

  /** A cut-off leader is acted on by its own machine's followers only: the first of them goes first. */
  @Test
  void after_a_cut_off_only_the_leaders_machine_ranks_and_in_the_same_order() {
    Set<Integer> host1 = Set.of(1, 2, 5, 7);
    IntPredicate onHost2 = id -> !host1.contains(id);
    // leader 4 on host2: its machine-mates 6 and 3, in ring order after it
    assertThat(Chain.successionRankOnItsMachine(SEVEN, 4, 6, host1, onHost2)).isZero();
    assertThat(Chain.successionRankOnItsMachine(SEVEN, 4, 3, host1, onHost2)).isEqualTo(1);
    assertThat(Chain.successionRankOnItsMachine(SEVEN, 4, 1, host1, onHost2)).as("a host1 orderer: past everyone").isEqualTo(7);
    // leader 5 on host1: the same order as for a dead leader, the preferred ones being its machine-mates
    IntPredicate onHost1 = host1::contains;
    for (int self : List.of(7, 1, 2)) {
      assertThat(Chain.successionRankOnItsMachine(SEVEN, 5, self, host1, onHost1)).isEqualTo(Chain.successionRank(SEVEN, 5, self, host1));
    }
  }
}
