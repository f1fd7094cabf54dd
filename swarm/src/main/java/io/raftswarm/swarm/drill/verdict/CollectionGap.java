package io.raftswarm.swarm.drill.verdict;

import java.util.Objects;

/** A node whose chain or status could not be collected, and why (it weakens the verdict). */
public record CollectionGap(String node, String channel, String reason) {
  public CollectionGap {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(reason, "reason");
  }
}
