package io.raftswarm.swarm.drill.verdict;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The blocks of one channel as pulled from one orderer (over Deliver), in block order. The list
 * may start above 0 when only a suffix was pulled; gaps are reported by the verdict, not
 * rejected here.
 */
public record NodeChain(String node, String channel, List<BlockDigest> blocks) {

  public NodeChain {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(channel, "channel");
    blocks = blocks.stream().sorted(Comparator.comparingLong(BlockDigest::number)).toList();
  }

  /** Number of the next block this node would append (0 for an empty chain). */
  public long height() {
    return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).number() + 1;
  }
}
