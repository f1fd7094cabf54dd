package io.raftswarm.swarm.channel;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.GoDurations;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;

/**
 * Changes a running channel's batch settings the way Fabric's admins do: fetch the config in
 * force from an orderer ({@code peer channel fetch config}), edit it, compute the update
 * ({@code configtxlator compute_update}), sign it as the orderer org's admin (the
 * /Channel/Orderer/Admins policy) and broadcast it ({@code peer channel update}). The orderers
 * validate it against the channel's policies and order it in a config block of its own.
 */
public final class ChannelUpdate {
  /** What to change; null fields stay as they are. */
  public record BatchChange(Integer maxMessageCount, Duration batchTimeout, Integer preferredMaxBytes, Integer absoluteMaxBytes) {
    boolean isEmpty() {
      return maxMessageCount == null && batchTimeout == null && preferredMaxBytes == null && absoluteMaxBytes == null;
    }
  }

  private final NetworkProfile profile;
  private final PrintWriter out;

  public ChannelUpdate(NetworkProfile profile, PrintWriter out) {
    this.profile = profile;
    this.out = out;
  }

  /** Applies {@code change} to {@code channel} through {@code orderer}; returns the new batch settings. */
  public BatchSettings updateBatch(String channel, BatchChange change, FabricClient fabric, String orderer, Duration timeout) {
    if (change.isEmpty()) {
      throw new UserError("nothing to change: give --max-message-count, --batch-timeout, --preferred-max-bytes"
          + " or --absolute-max-bytes");
    }
    Config current = fabric.fetchConfig(channel, orderer, timeout);
    BatchSettings before = ChannelConfigs.fromConfig(channel, current).batch();
    BatchSettings after;
    try {
      after = new BatchSettings(
          change.batchTimeout() != null ? change.batchTimeout() : before.batchTimeout(),
          change.maxMessageCount() != null ? change.maxMessageCount() : before.maxMessageCount(),
          change.absoluteMaxBytes() != null ? change.absoluteMaxBytes() : before.absoluteMaxBytes(),
          change.preferredMaxBytes() != null ? change.preferredMaxBytes() : before.preferredMaxBytes());
    } catch (IllegalArgumentException e) {
      throw new UserError("invalid batch settings for " + channel + ": " + e.getMessage(), e);
    }
    if (after.equals(before)) {
      out.println("Channel " + channel + " already has these batch settings (config sequence " + current.getSequence() + ")");
      return before;
    }
    String used = fabric.updateConfig(channel, current, withBatch(current, after), ClientIdentity.ordererAdmin(profile),
        orderer, timeout);
    out.printf("Channel %s updated through %s (config sequence %d -> %d): %s%n", channel, used, current.getSequence(),
        current.getSequence() + 1, describe(before, after));
    return after;
  }

  /** {@code current} with the batch settings {@code after}. */
  private static Config withBatch(Config current, BatchSettings after) {
    Config.Builder updated = current.toBuilder();
    var orderer = updated.getChannelGroup().getGroupsOrThrow("Orderer").toBuilder();
    var size = orderer.getValuesOrThrow("BatchSize");
    var timeout = orderer.getValuesOrThrow("BatchTimeout");
    orderer.putValues("BatchSize", size.toBuilder().setValue(BatchSize.newBuilder()
        .setMaxMessageCount(after.maxMessageCount())
        .setAbsoluteMaxBytes(after.absoluteMaxBytes())
        .setPreferredMaxBytes(after.preferredMaxBytes())
        .build().toByteString()).build());
    orderer.putValues("BatchTimeout", timeout.toBuilder().setValue(BatchTimeout.newBuilder()
        .setTimeout(GoDurations.format(after.batchTimeout())).build().toByteString()).build());
    updated.getChannelGroupBuilder().putGroups("Orderer", orderer.build());
    return updated.build();
  }

  private static String describe(BatchSettings before, BatchSettings after) {
    StringBuilder s = new StringBuilder();
    if (before.maxMessageCount() != after.maxMessageCount()) {
      s.append("MaxMessageCount ").append(before.maxMessageCount()).append(" -> ").append(after.maxMessageCount()).append("; ");
    }
    if (!before.batchTimeout().equals(after.batchTimeout())) {
      s.append("BatchTimeout ").append(GoDurations.format(before.batchTimeout())).append(" -> ")
          .append(GoDurations.format(after.batchTimeout())).append("; ");
    }
    if (before.preferredMaxBytes() != after.preferredMaxBytes()) {
      s.append("PreferredMaxBytes ").append(before.preferredMaxBytes()).append(" -> ").append(after.preferredMaxBytes()).append("; ");
    }
    if (before.absoluteMaxBytes() != after.absoluteMaxBytes()) {
      s.append("AbsoluteMaxBytes ").append(before.absoluteMaxBytes()).append(" -> ").append(after.absoluteMaxBytes()).append("; ");
    }
    return s.substring(0, s.length() - 2);
  }
}
