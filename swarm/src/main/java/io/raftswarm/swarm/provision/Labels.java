package io.raftswarm.swarm.provision;

import java.util.Map;

/** Labels on everything raftswarm creates; down and tests find targets by them. */
public final class Labels {
  public static final String PROJECT = "io.raftswarm.project";
  public static final String NETWORK = "io.raftswarm.network";
  public static final String NODE = "io.raftswarm.node";
  public static final String PROJECT_VALUE = "raftswarm";

  private Labels() {}

  public static Map<String, String> forNetwork(String networkName) {
    return Map.of(PROJECT, PROJECT_VALUE, NETWORK, networkName);
  }
}
