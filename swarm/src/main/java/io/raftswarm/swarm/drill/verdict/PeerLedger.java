package io.raftswarm.swarm.drill.verdict;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a peer reports about one channel: its height, the header hashes of the blocks it
 * reports (often only the last one), and the hash of its world state at that height.
 *
 * @param stateHash hex hash of the world state, or {@code null} if the peer does not report one
 */
public record PeerLedger(
    String node, String channel, long height, Map<Long, String> blockHashes, String stateHash) {

  public PeerLedger {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(channel, "channel");
    if (height < 0) {
      throw new IllegalArgumentException("height must be >= 0, got " + height + " for " + node);
    }
    blockHashes = new TreeMap<>(blockHashes);
  }
}
