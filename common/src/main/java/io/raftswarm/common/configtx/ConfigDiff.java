package io.raftswarm.common.configtx;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * The config update that turns one config into another, as {@code configtxlator compute_update}
 * computes it (Fabric's internal/configtxlator/update): changed values and policies get version
 * + 1, new ones version 0; a group whose set of children or mod_policy changes gets version + 1
 * and lists every child (unchanged ones by version only); unchanged elements appear in the read
 * set so that the update applies only to the config it was computed from.
 */
public final class ConfigDiff {
  private ConfigDiff() {}

  /** The update from {@code original} to {@code updated}; fails if they are the same. */
  public static ConfigUpdate compute(String channelId, Config original, Config updated) throws ConfigUpdateException {
    GroupUpdate root = group(original.getChannelGroup(), updated.getChannelGroup());
    if (!root.updated()) {
      throw new ConfigUpdateException("no differences between the original and the updated config");
    }
    return ConfigUpdate.newBuilder().setChannelId(channelId).setReadSet(root.readSet()).setWriteSet(root.writeSet()).build();
  }

  private record GroupUpdate(ConfigGroup readSet, ConfigGroup writeSet, boolean updated) {}

  private static GroupUpdate group(ConfigGroup original, ConfigGroup updated) {
    Map<String, ConfigPolicy> readPolicies = new LinkedHashMap<>();
    Map<String, ConfigPolicy> writePolicies = new LinkedHashMap<>();
    Map<String, ConfigPolicy> samePolicies = new LinkedHashMap<>();
    boolean policiesChanged = false;
    for (var e : original.getPoliciesMap().entrySet()) {
      ConfigPolicy now = updated.getPoliciesMap().get(e.getKey());
      if (now == null) {
        policiesChanged = true;
      } else if (now.getModPolicy().equals(e.getValue().getModPolicy()) && now.getPolicy().equals(e.getValue().getPolicy())) {
        samePolicies.put(e.getKey(), ConfigPolicy.newBuilder().setVersion(e.getValue().getVersion()).build());
      } else {
        writePolicies.put(e.getKey(), now.toBuilder().setVersion(e.getValue().getVersion() + 1).build());
      }
    }
    for (var e : updated.getPoliciesMap().entrySet()) {
      if (!original.getPoliciesMap().containsKey(e.getKey())) {
        policiesChanged = true;
        writePolicies.put(e.getKey(), e.getValue().toBuilder().setVersion(0).build());
      }
    }

    Map<String, ConfigValue> readValues = new LinkedHashMap<>();
    Map<String, ConfigValue> writeValues = new LinkedHashMap<>();
    Map<String, ConfigValue> sameValues = new LinkedHashMap<>();
    boolean valuesChanged = false;
    for (var e : original.getValuesMap().entrySet()) {
      ConfigValue now = updated.getValuesMap().get(e.getKey());
      if (now == null) {
        valuesChanged = true;
      } else if (now.getModPolicy().equals(e.getValue().getModPolicy()) && now.getValue().equals(e.getValue().getValue())) {
        sameValues.put(e.getKey(), ConfigValue.newBuilder().setVersion(e.getValue().getVersion()).build());
      } else {
        writeValues.put(e.getKey(), now.toBuilder().setVersion(e.getValue().getVersion() + 1).build());
      }
    }
    for (var e : updated.getValuesMap().entrySet()) {
      if (!original.getValuesMap().containsKey(e.getKey())) {
        valuesChanged = true;
        writeValues.put(e.getKey(), e.getValue().toBuilder().setVersion(0).build());
      }
    }

    Map<String, ConfigGroup> readGroups = new LinkedHashMap<>();
    Map<String, ConfigGroup> writeGroups = new LinkedHashMap<>();
    Map<String, ConfigGroup> sameGroups = new LinkedHashMap<>();
    boolean groupsChanged = false;
    for (var e : original.getGroupsMap().entrySet()) {
      ConfigGroup now = updated.getGroupsMap().get(e.getKey());
      if (now == null) {
        groupsChanged = true;
        continue;
      }
      GroupUpdate child = group(e.getValue(), now);
      if (!child.updated()) {
        sameGroups.put(e.getKey(), child.readSet());
      } else {
        readGroups.put(e.getKey(), child.readSet());
        writeGroups.put(e.getKey(), child.writeSet());
      }
    }
    for (var e : updated.getGroupsMap().entrySet()) {
      if (!original.getGroupsMap().containsKey(e.getKey())) {
        groupsChanged = true;
        ConfigGroup written = group(ConfigGroup.getDefaultInstance(), e.getValue()).writeSet();
        writeGroups.put(e.getKey(), written.toBuilder().setVersion(0).setModPolicy(e.getValue().getModPolicy()).build());
      }
    }

    boolean membersChanged = policiesChanged || valuesChanged || groupsChanged
        || !original.getModPolicy().equals(updated.getModPolicy());
    if (!membersChanged) {
      boolean nothing = writePolicies.isEmpty() && writeValues.isEmpty() && writeGroups.isEmpty() && readGroups.isEmpty();
      ConfigGroup versionOnly = ConfigGroup.newBuilder().setVersion(original.getVersion()).build();
      if (nothing) {
        return new GroupUpdate(versionOnly, versionOnly, false);
      }
      return new GroupUpdate(
          versionOnly.toBuilder().putAllPolicies(readPolicies).putAllValues(readValues).putAllGroups(readGroups).build(),
          versionOnly.toBuilder().putAllPolicies(writePolicies).putAllValues(writeValues).putAllGroups(writeGroups).build(),
          true);
    }
    readPolicies.putAll(samePolicies);
    writePolicies.putAll(samePolicies);
    readValues.putAll(sameValues);
    writeValues.putAll(sameValues);
    readGroups.putAll(sameGroups);
    writeGroups.putAll(sameGroups);
    return new GroupUpdate(
        ConfigGroup.newBuilder().setVersion(original.getVersion())
            .putAllPolicies(readPolicies).putAllValues(readValues).putAllGroups(readGroups).build(),
        ConfigGroup.newBuilder().setVersion(original.getVersion() + 1).setModPolicy(updated.getModPolicy())
            .putAllPolicies(writePolicies).putAllValues(writeValues).putAllGroups(writeGroups).build(),
        true);
  }
}
