package io.raftswarm.swarm.render;

import io.raftswarm.swarm.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The network an inventory describes, with every derived name, endpoint, port and path
 * computed once: what render writes and what provision, status and drills rely on. Immutable.
 *
 * @param inventory the validated inventory it was planned from
 * @param hosts the hosts in inventory order, each with its nodes
 * @param nodes orderers (consenter ids 1..N, inventory order) then peers (org order)
 * @param overlay the swarm's address pool, the overlay subnet and each container's fixed address
 */
public record NetworkPlan(Inventory inventory, List<PlannedHost> hosts, List<PlannedNode> nodes,
    OverlayAddresses overlay) {

  /** Ports inside the containers (CONTRACTS.md "Container environment"). */
  public static final int ORDERER_PORT = 7050;
  public static final int ORDERER_CLUSTER_PORT = 7051;
  public static final int ORDERER_OPERATIONS_PORT = 8443;
  /** The channel participation API (Fabric's Admin.ListenAddress; test-network uses 7053 too). */
  public static final int ORDERER_ADMIN_PORT = 7053;
  public static final int PEER_PORT = 7051;
  public static final int PEER_OPERATIONS_PORT = 9443;

  public NetworkPlan {
    Objects.requireNonNull(inventory, "inventory");
    Objects.requireNonNull(overlay, "overlay");
    hosts = List.copyOf(hosts);
    nodes = List.copyOf(nodes);
  }

  public enum Role {
    ORDERER, PEER;

    /** "orderer" / "peer", as labels, the profile and the contracts spell it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A host and where things live on it.
   *
   * @param bundleDir where provision unpacks this host's bundle ({@code <workDir>/bundle})
   * @param dataDir parent of the nodes' ledger directories ({@code <workDir>/data})
   */
  public record PlannedHost(
      String name, String address, String workDir, String bundleDir, String dataDir,
      List<PlannedNode> nodes) {
    public PlannedHost {
      Objects.requireNonNull(name, "name");
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One orderer or peer.
   *
   * @param name short name (orderer7, peer0)
   * @param fqdn container name, host name and TLS name (orderer7.example.com)
   * @param org organization name (OrdererOrg, Org1)
   * @param consenterId 1..N for orderers (inventory order), 0 for peers
   * @param port the service port inside the container (7050 orderer, 7051 peer)
   * @param clusterPort Raft port inside the container (7051) for orderers, 0 for peers; never
   *     published: consenters reach each other over the overlay network only
   * @param operationsPort operations port inside the container (8443 / 9443)
   * @param publishedPort host port mapped to {@code port}
   * @param publishedOperationsPort host port mapped to {@code operationsPort}
   * @param publishedAdminPort host port mapped to the orderer's admin port {@link #ORDERER_ADMIN_PORT}, 0 for peers
   * @param cryptoPath the node's directory relative to crypto-config
   *     ({@code ordererOrganizations/example.com/orderers/orderer7.example.com})
   * @param dataDir the ledger directory on the host ({@code <workDir>/data/<fqdn>})
   */
  public record PlannedNode(
      Role role, String name, String fqdn, String org, String mspId, String domain,
      String host, String hostAddress, int consenterId, String image,
      int port, int clusterPort, int operationsPort, int publishedPort,
      int publishedOperationsPort, int publishedAdminPort, String cryptoPath, String dataDir) {
    public PlannedNode {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(fqdn, "fqdn");
      if ((role == Role.ORDERER) != (consenterId > 0)) {
        throw new IllegalArgumentException(fqdn + ": only orderers have a consenter id");
      }
    }

    public boolean isOrderer() {
      return role == Role.ORDERER;
    }

    /** Where other containers reach the node: {@code fqdn:port}. */
    public String internalEndpoint() {
      return fqdn + ":" + port;
    }

    /** The Raft endpoint of an orderer: {@code fqdn:7051}. */
    public String clusterEndpoint() {
      return fqdn + ":" + clusterPort;
    }

    /** Where the operator machine reaches the node: {@code host address:published port}. */
    public String externalEndpoint() {
      return hostAddress + ":" + publishedPort;
    }

    public String operationsEndpoint() {
      return hostAddress + ":" + publishedOperationsPort;
    }

    /** Where the operator machine reaches an orderer's channel participation API; "" for peers. */
    public String adminEndpoint() {
      return publishedAdminPort == 0 ? "" : hostAddress + ":" + publishedAdminPort;
    }
  }

  /** Plans the network; the inventory is already valid, so this cannot fail. */
  public static NetworkPlan of(Inventory inv) {
    List<PlannedNode> nodes = new ArrayList<>();
    Inventory.OrdererOrg oo = inv.ordererOrg();
    int id = 1;
    for (Inventory.Orderer o : inv.orderers()) {
      Inventory.Host h = inv.host(o.host());
      String fqdn = oo.fqdn(o);
      nodes.add(new PlannedNode(Role.ORDERER, o.name(), fqdn, oo.name(), oo.mspId(), oo.domain(),
          h.name(), h.address(), id++, inv.images().orderer(), ORDERER_PORT,
          ORDERER_CLUSTER_PORT, ORDERER_OPERATIONS_PORT, o.port(), o.operationsPort(), o.adminPort(),
          "ordererOrganizations/" + oo.domain() + "/orderers/" + fqdn,
          h.workDir() + "/data/" + fqdn));
    }
    for (Inventory.PeerOrg org : inv.peerOrgs()) {
      for (Inventory.Peer p : org.peers()) {
        Inventory.Host h = inv.host(p.host());
        String fqdn = org.fqdn(p);
        nodes.add(new PlannedNode(Role.PEER, p.name(), fqdn, org.name(), org.mspId(),
            org.domain(), h.name(), h.address(), 0, inv.images().peer(), PEER_PORT, 0,
            PEER_OPERATIONS_PORT, p.port(), p.operationsPort(), 0,
            "peerOrganizations/" + org.domain() + "/peers/" + fqdn,
            h.workDir() + "/data/" + fqdn));
      }
    }
    List<PlannedHost> hosts = new ArrayList<>();
    for (Inventory.Host h : inv.hosts()) {
      hosts.add(new PlannedHost(h.name(), h.address(), h.workDir(), h.workDir() + "/bundle",
          h.workDir() + "/data",
          nodes.stream().filter(n -> n.host().equals(h.name())).toList()));
    }
    return new NetworkPlan(inv, hosts, nodes, OverlayAddresses.plan(inv, nodes));
  }

  public List<PlannedNode> orderers() {
    return nodes.stream().filter(PlannedNode::isOrderer).toList();
  }

  public List<PlannedNode> peers() {
    return nodes.stream().filter(n -> !n.isOrderer()).toList();
  }

  public PlannedHost host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no host named " + name));
  }

  public List<String> channels() {
    return inventory.channels();
  }

  public String networkName() {
    return inventory.network().name();
  }
}
