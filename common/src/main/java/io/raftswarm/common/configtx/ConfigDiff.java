package io.raftswarm.common.configtx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
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

  /** The changes of one member map (values or policies) of a group. */
  private record Members<T>(Map<String, T> write, Map<String, T> same, boolean changed) {}

  /** How {@link #members} reads and writes one kind of element. */
  private record Kind<T>(ToLongFunction<T> version, Function<T, String> modPolicy, BiPredicate<T, T> sameContent,
      BiFunction<T, Long, T> withVersion, LongFunction<T> versionOnly) {}

  private static final Kind<ConfigValue> VALUES = new Kind<>(ConfigValue::getVersion, ConfigValue::getModPolicy,
      (a, b) -> a.getValue().equals(b.getValue()), (v, n) -> v.toBuilder().setVersion(n).build(),
      n -> ConfigValue.newBuilder().setVersion(n).build());
  private static final Kind<ConfigPolicy> POLICIES = new Kind<>(ConfigPolicy::getVersion, ConfigPolicy::getModPolicy,
      (a, b) -> a.getPolicy().equals(b.getPolicy()), (p, n) -> p.toBuilder().setVersion(n).build(),
      n -> ConfigPolicy.newBuilder().setVersion(n).build());

  /**
   * configtxlator's map update: a changed element is written at version + 1, a new one at 0, an
   * unchanged one is kept by version only; removing or adding one changes the group's members.
   */
  private static <T> Members<T> members(Map<String, T> original, Map<String, T> updated, Kind<T> kind) {
    Map<String, T> write = new LinkedHashMap<>();
    Map<String, T> same = new LinkedHashMap<>();
    boolean changed = false;
    for (var e : original.entrySet()) {
      T now = updated.get(e.getKey());
      if (now == null) {
        changed = true;
      } else if (kind.modPolicy().apply(now).equals(kind.modPolicy().apply(e.getValue()))
          && kind.sameContent().test(now, e.getValue())) {
        same.put(e.getKey(), kind.versionOnly().apply(kind.version().applyAsLong(e.getValue())));
      } else {
        write.put(e.getKey(), kind.withVersion().apply(now, kind.version().applyAsLong(e.getValue()) + 1));
      }
    }
    for (var e : updated.entrySet()) {
      if (!original.containsKey(e.getKey())) {
        changed = true;
        write.put(e.getKey(), kind.withVersion().apply(e.getValue(), 0L));
      }
    }
    return new Members<>(write, same, changed);
  }

  private static GroupUpdate group(ConfigGroup original, ConfigGroup updated) {
    Members<ConfigPolicy> policies = members(original.getPoliciesMap(), updated.getPoliciesMap(), POLICIES);
    Members<ConfigValue> values = members(original.getValuesMap(), updated.getValuesMap(), VALUES);
    Map<String, ConfigPolicy> readPolicies = new LinkedHashMap<>();
    Map<String, ConfigPolicy> writePolicies = new LinkedHashMap<>(policies.write());
    Map<String, ConfigPolicy> samePolicies = policies.same();
    boolean policiesChanged = policies.changed();
    Map<String, ConfigValue> readValues = new LinkedHashMap<>();
    Map<String, ConfigValue> writeValues = new LinkedHashMap<>(values.write());
    Map<String, ConfigValue> sameValues = values.same();
    boolean valuesChanged = values.changed();

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
