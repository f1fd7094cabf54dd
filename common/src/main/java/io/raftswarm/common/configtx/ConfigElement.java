package io.raftswarm.common.configtx;

import java.util.List;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * One element of a config tree (Fabric's configtx "comparable"): a group, value or policy at a
 * path, with its version and mod_policy. For a group only its own fields and its children's names
 * matter; the children are elements of their own.
 *
 * @param parent the path of the group that holds this element, e.g. [Channel, Orderer]; empty for the root
 * @param key the element's name in its parent (the root group: "Channel")
 */
record ConfigElement(Kind kind, List<String> parent, String key, ConfigGroup group, ConfigValue value, ConfigPolicy policy) {
  enum Kind { GROUP, VALUE, POLICY }

  ConfigElement {
    parent = List.copyOf(parent);
  }

  static ConfigElement group(List<String> parent, String key, ConfigGroup group) {
    return new ConfigElement(Kind.GROUP, parent, key, group, null, null);
  }

  static ConfigElement value(List<String> parent, String key, ConfigValue value) {
    return new ConfigElement(Kind.VALUE, parent, key, null, value, null);
  }

  static ConfigElement policy(List<String> parent, String key, ConfigPolicy policy) {
    return new ConfigElement(Kind.POLICY, parent, key, null, null, policy);
  }

  long version() {
    return switch (kind) {
      case GROUP -> group.getVersion();
      case VALUE -> value.getVersion();
      case POLICY -> policy.getVersion();
    };
  }

  String modPolicy() {
    return switch (kind) {
      case GROUP -> group.getModPolicy();
      case VALUE -> value.getModPolicy();
      case POLICY -> policy.getModPolicy();
    };
  }

  /** Fabric's map key, e.g. "[Value]  /Channel/Orderer/BatchSize": unique over the tree. */
  String id() {
    return id(kind, path());
  }

  static String id(Kind kind, String path) {
    return switch (kind) {
      case GROUP -> "[Group]  " + path;
      case VALUE -> "[Value]  " + path;
      case POLICY -> "[Policy] " + path;
    };
  }

  /** The element's own path, e.g. /Channel/Orderer/BatchSize. */
  String path() {
    return parent.isEmpty() ? "/" + key : "/" + String.join("/", parent) + "/" + key;
  }

  /**
   * The group whose policies a relative mod_policy names: a group's own (its key is part of the
   * path, as in Fabric's policyForItem), a value's or policy's parent.
   */
  List<String> policyScope() {
    if (kind != Kind.GROUP) {
      return parent;
    }
    List<String> scope = new java.util.ArrayList<>(parent);
    scope.add(key);
    return scope;
  }
}
