package io.raftswarm.orderer.chain;

import io.raftswarm.common.configtx.ConfigUpdateException;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.identity.OrgMsp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which channel config changes a running orderer applies, and how a change reads in the log. */
final class ConfigChanges {
  private ConfigChanges() {}

  /** How an update changes the consenter set; Fabric allows one consenter changed per update. */
  enum ConsenterChangeKind { NONE, ADD, REMOVE, RECERTIFY }

  /** The one consenter (Raft peer id) an update adds, removes or re-certifies. */
  record ConsenterChange(ConsenterChangeKind kind, String peer) {
    static final ConsenterChange NONE = new ConsenterChange(ConsenterChangeKind.NONE, null);
  }

  /**
   * What an update does to the consenters, refusing what etcdraft refuses: more than one consenter
   * changed at once, a consenter moved to another cluster endpoint (remove it and add it again),
   * an empty consenter set.
   */
  static ConsenterChange consenterChange(ChannelConfig current, ChannelConfig proposed) throws ConfigUpdateException {
    Map<String, Consenter> before = byPeer(current);
    Map<String, Consenter> after = byPeer(proposed);
    List<ConsenterChange> changes = new ArrayList<>();
    for (var e : after.entrySet()) {
      Consenter was = before.get(e.getKey());
      if (was == null) {
        changes.add(new ConsenterChange(ConsenterChangeKind.ADD, e.getKey()));
      } else if (!was.clusterEndpoint().equals(e.getValue().clusterEndpoint())) {
        throw new ConfigUpdateException("the update moves consenter " + e.getKey() + " from " + was.clusterEndpoint()
            + " to " + e.getValue().clusterEndpoint() + "; remove the consenter and add it again with the new endpoint");
      } else if (!sameCertificates(was, e.getValue())) {
        changes.add(new ConsenterChange(ConsenterChangeKind.RECERTIFY, e.getKey()));
      }
    }
    before.keySet().stream().filter(p -> !after.containsKey(p))
        .forEach(p -> changes.add(new ConsenterChange(ConsenterChangeKind.REMOVE, p)));
    if (changes.size() > 1) {
      throw new ConfigUpdateException("the update changes " + changes.size() + " consenters (" + changes.stream()
          .map(c -> c.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + c.peer()).toList()
          + "); change one consenter per config update, and the next once the cluster is healthy again");
    }
    if (proposed.consenters().isEmpty()) {
      throw new ConfigUpdateException("the update removes every consenter of the channel");
    }
    return changes.isEmpty() ? ConsenterChange.NONE : changes.get(0);
  }

  /**
   * Refuses a consenter change that the cluster cannot take now (Fabric's rule: membership changes
   * only while the cluster is healthy): after it, the consenters this leader hears from must still
   * be a majority of the new set, not counting an added consenter, which is not running yet, nor
   * a removed one.
   */
  static void requireQuorumAfter(ConsenterChange change, ChannelConfig proposed, Set<String> activePeers)
      throws ConfigUpdateException {
    if (change.kind() != ConsenterChangeKind.ADD && change.kind() != ConsenterChangeKind.REMOVE) {
      return;
    }
    Set<String> members = byPeer(proposed).keySet();
    long active = activePeers.stream().filter(members::contains).filter(p -> !p.equals(change.peer())).count();
    int quorum = members.size() / 2 + 1;
    if (active < quorum) {
      throw new ConfigUpdateException("the cluster is not healthy enough to " + change.kind().name().toLowerCase(java.util.Locale.ROOT)
          + " consenter " + change.peer() + ": " + active + " of the " + members.size() + " consenters after the change"
          + " are active, " + quorum + " are needed; bring the stopped orderers back first");
    }
  }

  /**
   * Refuses what the running orderers cannot take: other Raft options (fixed when the Raft server
   * starts) and a larger AbsoluteMaxBytes than this orderer's heap holds ({@link OrdererMemory}).
   */
  static void requireSupported(ChannelConfig current, ChannelConfig proposed, OrdererMemory memory) throws ConfigUpdateException {
    if (!current.raftOptions().equals(proposed.raftOptions())) {
      throw new ConfigUpdateException("the update changes the etcdraft options (" + current.raftOptions() + " -> "
          + proposed.raftOptions() + "); they are fixed while the orderers run");
    }
    long largest = proposed.batch().absoluteMaxBytes();
    if (largest > current.batch().absoluteMaxBytes() && !memory.fits(largest)) {
      throw new ConfigUpdateException(memory.shortfall(largest) + " (blocks up to " + memory.largestBlock() + " bytes); give the"
          + " orderers more memory first (inventory resources.ordererMemory, then provision) or keep AbsoluteMaxBytes lower");
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
    Set<String> mspsBefore = msps(before);
    Set<String> mspsAfter = msps(after);
    mspsAfter.stream().filter(m -> !mspsBefore.contains(m)).forEach(m -> changes.add("+" + m));
    mspsBefore.stream().filter(m -> !mspsAfter.contains(m)).forEach(m -> changes.add("-" + m));
    Map<String, Consenter> was = byPeer(before);
    Map<String, Consenter> is = byPeer(after);
    is.keySet().stream().filter(p -> !was.containsKey(p)).forEach(p -> changes.add("+consenter " + p));
    was.keySet().stream().filter(p -> !is.containsKey(p)).forEach(p -> changes.add("-consenter " + p));
    is.entrySet().stream().filter(e -> was.containsKey(e.getKey()) && !sameCertificates(was.get(e.getKey()), e.getValue()))
        .forEach(e -> changes.add("new TLS certificate of consenter " + e.getKey()));
    if (!before.anchorPeers().equals(after.anchorPeers())) {
      changes.add("anchor peers " + after.anchorPeers());
    }
    return changes.isEmpty() ? "policies or values raftswarm does not read" : String.join(", ", changes);
  }

  private static boolean sameCertificates(Consenter a, Consenter b) {
    return Arrays.equals(a.serverTlsCertPem(), b.serverTlsCertPem()) && Arrays.equals(a.clientTlsCertPem(), b.clientTlsCertPem());
  }

  private static Map<String, Consenter> byPeer(ChannelConfig config) {
    Map<String, Consenter> map = new LinkedHashMap<>();
    config.consenters().forEach(c -> map.put(ConsenterIds.peerId(c), c));
    return map;
  }

  private static Set<String> msps(ChannelConfig config) {
    Set<String> ids = new TreeSet<>();
    config.ordererOrgs().stream().map(OrgMsp::mspId).forEach(ids::add);
    config.applicationOrgs().stream().map(OrgMsp::mspId).forEach(ids::add);
    return ids;
  }
}
