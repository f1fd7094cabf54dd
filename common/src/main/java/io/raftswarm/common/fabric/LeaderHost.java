package io.raftswarm.common.fabric;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a channel's Raft leader belongs: on the host that runs the most of its consenters, where
 * the leader's commit quorum needs the fewest acknowledgements from other hosts. The orderers
 * prefer leaders there (their ConsenterPlacement) and {@code raftswarm status} says when the
 * leader is elsewhere; both use this one rule.
 */
public final class LeaderHost {
  private LeaderHost() {}

  /**
   * The host that runs the most of the given consenters (one entry per consenter: its host), if
   * it runs at least two; a tie goes to the host first by name, so every orderer picks the same.
   */
  public static Optional<String> of(Collection<String> hostOfEachConsenter) {
    Map<String, Long> counts = hostOfEachConsenter.stream()
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    long most = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    if (most < 2) {
      return Optional.empty();
    }
    // TreeMap: in name order, so the first host with the most is the tie's winner
    return counts.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).findFirst();
  }
}
