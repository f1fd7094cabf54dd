package io.raftswarm.common.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One organization to generate crypto material for, like an entry of cryptogen's
 * crypto-config.yaml.
 *
 * @param name e.g. {@code Org1} or {@code OrdererOrg}
 * @param domain e.g. {@code org1.example.com}
 * @param mspId e.g. {@code Org1MSP}
 * @param ordererOrg true for an orderer org (nodes are orderers), false for a peer org
 * @param users how many ordinary users {@code User1..UserN} besides {@code Admin}
 */
public record OrgSpec(String name, String domain, String mspId, boolean ordererOrg, List<NodeSpec> nodes, int users) {
  public OrgSpec {
    requireText(name, "org name");
    requireText(domain, "domain of org " + name);
    requireText(mspId, "MSP id of org " + name);
    if (domain.contains("/") || domain.startsWith(".") || domain.endsWith(".")) {
      throw new IllegalArgumentException("domain '" + domain + "' of org " + name + " is not a DNS domain");
    }
    nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    if (users < 0) {
      throw new IllegalArgumentException("org " + name + ": users must be >= 0, got " + users);
    }
    Set<String> seen = new HashSet<>();
    for (NodeSpec node : nodes) {
      if (!seen.add(node.hostname())) {
        throw new IllegalArgumentException("org " + name + " lists node " + node.hostname() + " twice");
      }
    }
  }

  public Optional<NodeSpec> node(String hostname) {
    return nodes.stream().filter(n -> n.hostname().equals(hostname)).findFirst();
  }

  /** The users cryptogen creates: {@code Admin}, then {@code User1..UserN}. */
  public List<String> userNames() {
    List<String> names = new ArrayList<>();
    names.add("Admin");
    for (int i = 1; i <= users; i++) {
      names.add("User" + i);
    }
    return List.copyOf(names);
  }

  /** {@code ordererOrganizations} or {@code peerOrganizations}. */
  String kindDir() {
    return ordererOrg ? "ordererOrganizations" : "peerOrganizations";
  }

  /** {@code orderers} or {@code peers}. */
  String nodesDir() {
    return ordererOrg ? "orderers" : "peers";
  }

  /** The NodeOU of this org's nodes. */
  String nodeOu() {
    return ordererOrg ? "orderer" : "peer";
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
