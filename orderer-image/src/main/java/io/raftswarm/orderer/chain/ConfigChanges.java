package io.raftswarm.orderer.chain;

import io.raftswarm.common.configtx.ConfigUpdateException;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.identity.OrgMsp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Which channel config changes a running orderer applies, and how a change reads in the log. */
final class ConfigChanges {
  private ConfigChanges() {}

  /**
   * Refuses what the running Raft group cannot take: a different consenter set (a Raft membership
   * change, not supported yet), other Raft options (fixed when the Raft server starts), and
   * blocks larger than a Raft entry of this server.
   */
  static void requireSupported(ChannelConfig current, ChannelConfig proposed, long maxBlockBytes) throws ConfigUpdateException {
    if (!current.consenters().equals(proposed.consenters())) {
      throw new ConfigUpdateException("the update changes the consenter set of /Channel/Orderer/ConsensusType; adding,"
          + " removing or re-certifying consenters is not supported on a running raftswarm channel yet");
    }
    if (!current.raftOptions().equals(proposed.raftOptions())) {
      throw new ConfigUpdateException("the update changes the etcdraft options (" + current.raftOptions() + " -> "
          + proposed.raftOptions() + "); they are fixed while the orderers run");
    }
    long largest = Math.max(proposed.batch().absoluteMaxBytes(), proposed.batch().preferredMaxBytes());
    if (largest > maxBlockBytes) {
      throw new ConfigUpdateException("BatchSize.AbsoluteMaxBytes " + largest + " exceeds the " + maxBlockBytes
          + " bytes a Raft entry of these orderers carries; restart them with the larger limit first");
    }
  }

  /** "batch 10 -> 50 messages, +Org3MSP" and the like: what the update changed that raftswarm reads. */
  static String describe(ChannelConfig before, ChannelConfig after) {
    List<String> changes = new ArrayList<>();
    var oldBatch = before.batch();
    var newBatch = after.batch();
    if (!oldBatch.batchTimeout().equals(newBatch.batchTimeout())) {
      changes.add("BatchTimeout " + oldBatch.batchTimeout().toMillis() + " ms -> " + newBatch.batchTimeout().toMillis() + " ms");
    }
    if (oldBatch.maxMessageCount() != newBatch.maxMessageCount()) {
      changes.add("MaxMessageCount " + oldBatch.maxMessageCount() + " -> " + newBatch.maxMessageCount());
    }
    if (oldBatch.absoluteMaxBytes() != newBatch.absoluteMaxBytes()) {
      changes.add("AbsoluteMaxBytes " + oldBatch.absoluteMaxBytes() + " -> " + newBatch.absoluteMaxBytes());
    }
    if (oldBatch.preferredMaxBytes() != newBatch.preferredMaxBytes()) {
      changes.add("PreferredMaxBytes " + oldBatch.preferredMaxBytes() + " -> " + newBatch.preferredMaxBytes());
    }
    Set<String> was = msps(before);
    Set<String> is = msps(after);
    is.stream().filter(m -> !was.contains(m)).forEach(m -> changes.add("+" + m));
    was.stream().filter(m -> !is.contains(m)).forEach(m -> changes.add("-" + m));
    if (!before.anchorPeers().equals(after.anchorPeers())) {
      changes.add("anchor peers " + after.anchorPeers());
    }
    return changes.isEmpty() ? "policies or values raftswarm does not read" : String.join(", ", changes);
  }

  private static Set<String> msps(ChannelConfig config) {
    Set<String> ids = new TreeSet<>();
    config.ordererOrgs().stream().map(OrgMsp::mspId).forEach(ids::add);
    config.applicationOrgs().stream().map(OrgMsp::mspId).forEach(ids::add);
    return ids;
  }
}
