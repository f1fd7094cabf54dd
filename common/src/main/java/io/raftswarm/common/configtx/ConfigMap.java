package io.raftswarm.common.configtx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.ConfigGroup;

/**
 * A config tree flattened to its elements by id (Fabric's configtx configMap), and back. The
 * root group is named "Channel", as in Fabric.
 */
final class ConfigMap {
  static final String ROOT = "Channel";
  /** Fabric's configtx.validateConfigID: the names an element may have. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9.\\-_]{1,249}");

  private ConfigMap() {}

  /** Every element of the tree under {@code root} by {@link ConfigElement#id()}; names are checked as Fabric checks them. */
  static Map<String, ConfigElement> flatten(ConfigGroup root) throws ConfigUpdateException {
    Map<String, ConfigElement> elements = new LinkedHashMap<>();
    add(elements, List.of(), ROOT, root);
    return elements;
  }

  private static void add(Map<String, ConfigElement> elements, List<String> parent, String key, ConfigGroup group)
      throws ConfigUpdateException {
    ConfigElement self = ConfigElement.group(parent, key, group);
    checkName(self);
    elements.put(self.id(), self);
    List<String> path = new ArrayList<>(parent);
    path.add(key);
    for (var value : group.getValuesMap().entrySet()) {
      put(elements, ConfigElement.value(path, value.getKey(), value.getValue()));
    }
    for (var policy : group.getPoliciesMap().entrySet()) {
      put(elements, ConfigElement.policy(path, policy.getKey(), policy.getValue()));
    }
    for (var child : group.getGroupsMap().entrySet()) {
      add(elements, path, child.getKey(), child.getValue());
    }
  }

  private static void put(Map<String, ConfigElement> elements, ConfigElement element) throws ConfigUpdateException {
    checkName(element);
    elements.put(element.id(), element);
  }

  private static void checkName(ConfigElement element) throws ConfigUpdateException {
    String key = element.key();
    if (!NAME.matcher(key).matches() || key.equals(".") || key.equals("..")) {
      throw new ConfigUpdateException("illegal characters in config key " + element.path()
          + ": use letters, digits, '.', '-' and '_', at most 249");
    }
  }

  /**
   * The tree that the elements describe (Fabric's configMapToConfig): each group holds exactly the
   * children its element names, taken from {@code elements}.
   */
  static ConfigGroup rebuild(Map<String, ConfigElement> elements) throws ConfigUpdateException {
    return build(elements, List.of(), ROOT);
  }

  private static ConfigGroup build(Map<String, ConfigElement> elements, List<String> parent, String key)
      throws ConfigUpdateException {
    String path = parent.isEmpty() ? "/" + key : "/" + String.join("/", parent) + "/" + key;
    ConfigElement self = elements.get(ConfigElement.id(ConfigElement.Kind.GROUP, path));
    if (self == null) {
      throw new ConfigUpdateException("missing group " + path + " in the proposed config");
    }
    ConfigGroup.Builder group = ConfigGroup.newBuilder().setVersion(self.version()).setModPolicy(self.modPolicy());
    List<String> here = new ArrayList<>(parent);
    here.add(key);
    for (String name : self.group().getValuesMap().keySet()) {
      ConfigElement value = elements.get(ConfigElement.id(ConfigElement.Kind.VALUE, path + "/" + name));
      if (value == null) {
        throw new ConfigUpdateException("missing value " + path + "/" + name + " in the proposed config");
      }
      group.putValues(name, value.value());
    }
    for (String name : self.group().getPoliciesMap().keySet()) {
      ConfigElement policy = elements.get(ConfigElement.id(ConfigElement.Kind.POLICY, path + "/" + name));
      if (policy == null) {
        throw new ConfigUpdateException("missing policy " + path + "/" + name + " in the proposed config");
      }
      group.putPolicies(name, policy.policy());
    }
    for (String name : self.group().getGroupsMap().keySet()) {
      group.putGroups(name, build(elements, here, name));
    }
    return group.build();
  }
}
