package io.raftswarm.swarm.network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on everything raftswarm creates, from this one place: the compose templates write
 * the node labels it builds, provisioning, {@code down} and the drills filter by them.
 */
public final class Labels {
  public static final String PROJECT = "io.raftswarm.project";
  public static final String NETWORK = "io.raftswarm.network";
  /** Which render made the container: network.json's {@code runId}, kept across re-renders. */
  public static final String RUN = "io.raftswarm.run";
  public static final String NODE = "io.raftswarm.node";
  public static final String ROLE = "io.raftswarm.role";
  public static final String CONSENTER_ID = "io.raftswarm.consenter-id";
  public static final String PROJECT_VALUE = "raftswarm";

  private Labels() {}

  /** The overlay network's labels (it outlives runs: no run id). */
  public static Map<String, String> forNetwork(String networkName) {
    return Map.of(PROJECT, PROJECT_VALUE, NETWORK, networkName);
  }

  /**
   * The labels every container of a network carries, and of its render when the run id is known
   * (network.json files older than run ids have none): a filter for the engine's container list
   * and events, which AND the labels given.
   */
  public static Map<String, String> ofNetwork(String networkName, String runId) {
    Map<String, String> filter = new LinkedHashMap<>();
    filter.put(NETWORK, networkName);
    if (runId != null && !runId.isEmpty()) {
      filter.put(RUN, runId);
    }
    return Collections.unmodifiableMap(filter);
  }

  /** {@link #ofNetwork} narrowed to one node's container. */
  public static Map<String, String> ofNode(String networkName, String runId, String fqdn) {
    Map<String, String> filter = new LinkedHashMap<>(ofNetwork(networkName, runId));
    filter.put(NODE, fqdn);
    return Collections.unmodifiableMap(filter);
  }

  /**
   * A node container's labels, in a fixed order (the compose files are compared byte for byte).
   *
   * @param role "orderer" or "peer"
   * @param consenterId 1..N for orderers; peers carry no consenter label
   */
  public static Map<String, String> forNode(String networkName, String runId, String fqdn, String role,
      int consenterId) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PROJECT, PROJECT_VALUE);
    labels.put(NETWORK, networkName);
    labels.put(RUN, runId);
    labels.put(NODE, fqdn);
    labels.put(ROLE, role);
    if (consenterId > 0) {
      labels.put(CONSENTER_ID, Integer.toString(consenterId));
    }
    return labels;
  }
}
