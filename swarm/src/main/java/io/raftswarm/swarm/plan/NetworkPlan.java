package io.raftswarm.swarm.plan;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.Values;
import io.raftswarm.swarm.network.HostAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The network an inventory describes, with every value the later stages need computed once:
 * names, endpoints, ports, paths, organizations, channels with their block cutting, Raft options,
 * images, SSH and Docker access of the hosts, overlay addresses. Render, provision and down work
 * from it alone; {@code network.json} is its projection for clients and drills. Immutable.
 *
 * @param source the inventory file (absolute), which errors name
 * @param name the overlay network's name (inventory {@code network.name})
 * @param orgs the orderer organization first, then the peer organizations in inventory order
 * @param channels the channels in inventory order
 * @param raft etcdraft options of every channel (one Raft server per orderer hosts them all)
 * @param images the images the compose files run and the tars provision ships
 * @param hosts the hosts in inventory order, each with its nodes
 * @param nodes orderers (consenter ids 1..N, inventory order) then peers (org order)
 * @param overlay the swarm's address pool, the overlay subnet and each container's fixed address
 * @param tcpRtoMax the TCP retransmission timeout cap for every container (inventory
 *     {@code network.tcpRtoMax}); empty leaves the kernel's default
 * @param ordererMemory each orderer's heap, container memory limit and the largest block that
 *     fits (inventory {@code resources.ordererMemory}, else sized from the channels' AbsoluteMaxBytes)
 */
public record NetworkPlan(Path source, String name, List<PlannedOrg> orgs,
    List<PlannedChannel> channels, RaftOptions raft, PlannedImages images, List<PlannedHost> hosts,
    List<PlannedNode> nodes, OverlayAddresses overlay, Optional<Duration> tcpRtoMax, OrdererMemory ordererMemory) {

  /**
   * Peers' ports inside their containers (CONTRACTS.md "Container environment"). Orderers have
   * none of their own: an orderer listens on the port numbers it publishes, so one endpoint
   * ({@code fqdn:port}) reaches it over the overlay network and through its host's address.
   */
  public static final int PEER_PORT = 7051;
  public static final int PEER_OPERATIONS_PORT = 9443;

  public NetworkPlan {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(overlay, "overlay");
    Objects.requireNonNull(tcpRtoMax, "tcpRtoMax");
    Objects.requireNonNull(ordererMemory, "ordererMemory");
    orgs = List.copyOf(orgs);
    channels = List.copyOf(channels);
    hosts = List.copyOf(hosts);
    nodes = List.copyOf(nodes);
    if (orgs.isEmpty() || !orgs.get(0).ordererOrg()) {
      throw new IllegalArgumentException("the orderer organization comes first");
    }
  }

  /**
   * An organization.
   *
   * @param ordererOrg whether it is the orderer organization (else a peer organization)
   * @param users how many User&lt;n&gt; identities cryptogen makes (Admin always)
   */
  public record PlannedOrg(String name, String domain, String mspId, boolean ordererOrg, int users) {
    public PlannedOrg {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(mspId, "mspId");
    }
  }

  /** A channel and its block cutting, written into its genesis block. */
  public record PlannedChannel(String name, BatchSettings batch) {
    public PlannedChannel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(batch, "batch");
    }
  }

  /** The images the compose files run; the tars (if given) are shipped and docker-loaded. */
  public record PlannedImages(String orderer, String peer, Optional<Path> ordererTar, Optional<Path> peerTar) {
    public PlannedImages {
      Objects.requireNonNull(orderer, "orderer");
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(ordererTar, "ordererTar");
      Objects.requireNonNull(peerTar, "peerTar");
    }
  }

  public enum Role {
    ORDERER, PEER;

    /** "orderer" / "peer", as labels, the profile and the contracts spell it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A host, how to reach it and where things live on it.
   *
   * @param access address, SSH login, Docker socket, work directory, Swarm role
   * @param bundleDir where provision unpacks this host's bundle ({@code <workDir>/bundle})
   * @param dataDir parent of the nodes' ledger directories ({@code <workDir>/data})
   */
  public record PlannedHost(HostAccess access, String bundleDir, String dataDir, List<PlannedNode> nodes) {
    public PlannedHost {
      Objects.requireNonNull(access, "access");
      nodes = List.copyOf(nodes);
    }

    public String name() {
      return access.name();
    }

    public String address() {
      return access.address();
    }

    public String workDir() {
      return access.workDir();
    }

    public boolean manager() {
      return access.manager();
    }

    /** True when {@link #address()} is an IPv4 literal, not a host name. */
    public boolean hasIpv4Address() {
      return Values.isIpv4(access.address());
    }
  }

  /**
   * One orderer or peer.
   *
   * @param name short name (orderer7, peer0)
   * @param fqdn container name, host name and TLS name (orderer7.example.com)
   * @param org organization name (OrdererOrg, Org1)
   * @param consenterId 1..N for orderers (inventory order), 0 for peers
   * @param port the service port inside the container (an orderer's published port, 7051 for peers)
   * @param clusterPort an orderer's Raft port, the same inside its container and on its host (the
   *     consenter port in the channels' configs); 0 for peers
   * @param operationsPort operations port inside the container (an orderer's published one, 9443 for peers)
   * @param publishedPort host port mapped to {@code port}
   * @param publishedOperationsPort host port mapped to {@code operationsPort}
   * @param publishedAdminPort an orderer's admin port, the same inside its container and on its host; 0 for peers
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

    /** The Raft endpoint of an orderer: {@code fqdn:clusterPort}. */
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

    /** Every port the node publishes on its host (an orderer's Raft port among them). */
    public List<Integer> publishedPorts() {
      return isOrderer() ? List.of(publishedPort, clusterPort, publishedOperationsPort, publishedAdminPort)
          : List.of(publishedPort, publishedOperationsPort);
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
          h.name(), h.address(), id++, inv.images().orderer(), o.port(),
          o.clusterPort(), o.operationsPort(), o.port(), o.operationsPort(), o.adminPort(),
          "ordererOrganizations/" + oo.domain() + "/orderers/" + fqdn,
          h.workDir() + "/data/" + fqdn));
    }
    List<PlannedOrg> orgs = new ArrayList<>();
    orgs.add(new PlannedOrg(oo.name(), oo.domain(), oo.mspId(), true, 0));
    for (Inventory.PeerOrg org : inv.peerOrgs()) {
      orgs.add(new PlannedOrg(org.name(), org.domain(), org.mspId(), false, org.users()));
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
      hosts.add(new PlannedHost(access(h), h.workDir() + "/bundle", h.workDir() + "/data",
          nodes.stream().filter(n -> n.host().equals(h.name())).toList()));
    }
    Inventory.Images images = inv.images();
    return new NetworkPlan(inv.source(), inv.network().name(), orgs,
        inv.channels().stream().map(c -> new PlannedChannel(c.name(), c.batch())).toList(),
        inv.raft(),
        new PlannedImages(images.orderer(), images.peer(), images.ordererTar(), images.peerTar()),
        hosts, nodes,
        OverlayAddresses.plan(inv.hosts().stream().map(Inventory.Host::address).toList(),
            inv.network().subnet(), nodes),
        inv.network().tcpRtoMax(),
        inv.resources().ordererMemory().map(OrdererMemory::forContainerLimit).orElseGet(() -> OrdererMemory.forLargestBlock(
            inv.channels().stream().mapToLong(c -> c.batch().absoluteMaxBytes()).max()
                .orElse(BatchSettings.defaults().absoluteMaxBytes()))));
  }

  private static HostAccess access(Inventory.Host h) {
    Inventory.Ssh s = h.ssh();
    return new HostAccess(h.name(), h.address(), h.manager(), h.workDir(), h.dockerSocket(),
        s == null ? null : new HostAccess.Ssh(s.user(), s.port(), s.key().toString(),
            s.knownHosts().map(Path::toString).orElse(null), s.hostKeyFingerprint().orElse(null)),
        h.invite());
  }

  /**
   * The hosts provision reaches over SSH: the network without the invited hosts (whose operators
   * join them with {@code raftswarm join}). Nodes, overlay addresses and orgs stay whole, so
   * what is rendered and planned for the others does not change; only the host steps skip them.
   */
  public NetworkPlan withoutInvitedHosts() {
    return new NetworkPlan(source, name, orgs, channels, raft, images,
        hosts.stream().filter(h -> !h.access().invite()).toList(), nodes, overlay, tcpRtoMax, ordererMemory);
  }

  /** This plan with the overlay addresses a previous render gave its nodes kept (see {@link OverlayAddresses#keeping}). */
  public NetworkPlan keepingAddresses(Map<String, String> previous) {
    return new NetworkPlan(source, name, orgs, channels, raft, images, hosts, nodes,
        overlay.keeping(previous, nodes), tcpRtoMax, ordererMemory);
  }

  /**
   * Where the containers on {@code host} find each node, by name: an orderer on another host at
   * that host's address (it listens on the ports it publishes there), everything else at its
   * fixed overlay address. So the orderers' Raft, forwarding and block pulls across hosts go
   * through published ports and never depend on Swarm's overlay, whose cross-host paths took
   * 20–35 s to come back after a partition healed (docs/BENCHMARKS.md "Cutting the leader's
   * host"); on one host the overlay is a local bridge and avoids Docker's userland proxy.
   */
  public Map<String, String> addressesSeenFrom(PlannedHost host) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (PlannedNode n : nodes) {
      boolean remoteOrderer = n.isOrderer() && !n.host().equals(host.name());
      // A host named by a host name keeps the overlay path: a hosts file needs an address
      // (the inventory loader warns about it).
      boolean routable = remoteOrderer && host(n.host()).hasIpv4Address();
      byName.put(n.fqdn(), routable ? n.hostAddress() : overlay.byFqdn().get(n.fqdn()));
    }
    return byName;
  }

  /** Hosts whose operators join them with {@code raftswarm join}; provision never SSHes to them. */
  public List<PlannedHost> invitedHosts() {
    return hosts.stream().filter(h -> h.access().invite()).toList();
  }

  /**
   * Whether the orderers on the reachable hosts form a Raft majority of every channel (all
   * orderers are consenters of every channel): without one, no channel elects a leader before
   * an invited host joins.
   */
  public boolean reachableOrderersHoldMajority() {
    long reachable = orderers().stream()
        .filter(o -> hosts.stream().anyMatch(h -> h.name().equals(o.host()) && !h.access().invite()))
        .count();
    return reachable > orderers().size() / 2;
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

  /** The Swarm manager that initializes the swarm (the first host marked manager). */
  public PlannedHost manager() {
    return hosts.stream().filter(PlannedHost::manager).findFirst().orElseThrow();
  }

  public PlannedOrg ordererOrg() {
    return orgs.get(0);
  }

  public List<PlannedOrg> peerOrgs() {
    return orgs.subList(1, orgs.size());
  }

  public List<String> channelNames() {
    return channels.stream().map(PlannedChannel::name).toList();
  }
}
