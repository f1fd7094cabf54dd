package io.raftswarm.swarm.inventory;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.RaftOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed, validated inventory ({@code hosts.yml}): where the network runs and what it consists
 * of. Defaults are already applied and published ports already assigned, so every consumer sees
 * the same values. Built by {@link InventoryLoader}; the compact constructors only guard
 * programming errors (user-facing checks with file:line live in the loader).
 *
 * @param source the inventory file (absolute)
 * @param network the overlay network
 * @param hosts the Docker hosts, in file order
 * @param ordererOrg the single orderer organization
 * @param orderers the orderers in file order; consenter ids are 1..N in this order
 * @param peerOrgs the peer organizations, in file order
 * @param channels the channels in file order, each with its block cutting
 * @param raft etcdraft options written into every genesis block (network-wide: one Raft server per
 *     orderer hosts every channel's group)
 * @param images container images (and optional image tars that provision ships)
 * @param resources what each container may use (today: the orderers' memory)
 * @param warnings things that work but are probably not what the operator wants
 */
public record Inventory(
    Path source,
    Network network,
    List<Host> hosts,
    OrdererOrg ordererOrg,
    List<Orderer> orderers,
    List<PeerOrg> peerOrgs,
    List<Channel> channels,
    RaftOptions raft,
    Images images,
    Resources resources,
    List<String> warnings) {

  public Inventory {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ordererOrg, "ordererOrg");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(resources, "resources");
    hosts = List.copyOf(hosts);
    orderers = List.copyOf(orderers);
    peerOrgs = List.copyOf(peerOrgs);
    channels = List.copyOf(channels);
    warnings = List.copyOf(warnings);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("an inventory needs at least one host");
    }
    for (Orderer o : orderers) {
      requireHost(hosts, o.host(), "orderer " + o.name());
    }
    for (PeerOrg org : peerOrgs) {
      for (Peer p : org.peers()) {
        requireHost(hosts, p.host(), "peer " + p.name() + "." + org.domain());
      }
    }
  }

  private static void requireHost(List<Host> hosts, String name, String who) {
    if (hosts.stream().noneMatch(h -> h.name().equals(name))) {
      throw new IllegalArgumentException(who + " is on unknown host " + name);
    }
  }

  /** The host with this inventory name. */
  public Host host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no host named " + name));
  }

  /** The Swarm manager that initializes the swarm (the first host marked manager). */
  public Host manager() {
    return hosts.stream().filter(Host::manager).findFirst().orElseThrow();
  }

  /** Hosts whose operators join them with {@code raftswarm join} (provision never SSHes to them). */
  public List<Host> invitedHosts() {
    return hosts.stream().filter(Host::invite).toList();
  }

  /**
   * A Docker host. Provision reaches it over SSH, unless it is {@code invite}d: then its own
   * operator joins it with {@code raftswarm join} and {@code ssh} may be null.
   */
  public record Host(
      String name, String address, Ssh ssh, String workDir, boolean manager, String dockerSocket,
      boolean invite) {
    public Host {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
      if (ssh == null && !invite) {
        throw new IllegalArgumentException("host " + name + " needs ssh (only invited hosts may omit it)");
      }
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(dockerSocket, "dockerSocket");
      if (!workDir.startsWith("/")) {
        throw new IllegalArgumentException("workDir must be absolute: " + workDir);
      }
    }
  }

  /**
   * How to log in to a host. Exactly one of {@code knownHosts} and {@code hostKeyFingerprint}
   * is present: the host key is always verified.
   *
   * @param key private key file on the operator machine (absolute)
   * @param knownHosts an OpenSSH known_hosts file that lists the host
   * @param hostKeyFingerprint pinned host key, {@code SHA256:<base64>} as ssh-keygen -lf prints it
   */
  public record Ssh(
      String user, int port, Path key, Optional<Path> knownHosts,
      Optional<String> hostKeyFingerprint) {
    public Ssh {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(knownHosts, "knownHosts");
      Objects.requireNonNull(hostKeyFingerprint, "hostKeyFingerprint");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("ssh port out of range: " + port);
      }
      if (knownHosts.isPresent() == hostKeyFingerprint.isPresent()) {
        throw new IllegalArgumentException("give exactly one of knownHosts and hostKeyFingerprint");
      }
    }
  }

  /** The attachable overlay network every container joins; {@code subnet} is a CIDR. */
  /**
   * @param tcpRtoMax caps the TCP retransmission timeout in every container's network namespace
   *     (the kernel's {@code net.ipv4.tcp_rto_max_ms}, Linux 6.15+); empty: the kernel's 120 s
   */
  public record Network(String name, Optional<String> subnet, Optional<Duration> tcpRtoMax) {
    public Network {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(subnet, "subnet");
      Objects.requireNonNull(tcpRtoMax, "tcpRtoMax");
    }
  }

  public record OrdererOrg(String name, String domain, String mspId) {
    public OrdererOrg {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(mspId, "mspId");
    }

    public String fqdn(Orderer orderer) {
      return orderer.name() + "." + domain;
    }
  }

  /**
   * One orderer: its container is {@code name.<ordererOrg.domain>}.
   *
   * <p>An orderer listens in its container on the same port numbers it publishes on its host.
   *
   * @param port published host port for Broadcast/Deliver
   * @param clusterPort published host port for Raft and the other orderers' cluster calls
   * @param operationsPort published host port for /healthz, /metrics, /status
   * @param adminPort published host port for the channel participation API, osnadmin's
   *     {@code -o}
   */
  public record Orderer(String name, String host, int port, int clusterPort, int operationsPort, int adminPort) {
    public Orderer {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(host, "host");
      requirePort(port);
      requirePort(clusterPort);
      requirePort(operationsPort);
      requirePort(adminPort);
    }
  }

  /** A peer organization with its peers; {@code users} = how many User&lt;n&gt; identities. */
  public record PeerOrg(String name, String domain, String mspId, int users, List<Peer> peers) {
    public PeerOrg {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(mspId, "mspId");
      peers = List.copyOf(peers);
      if (users < 0) {
        throw new IllegalArgumentException("users must be >= 0");
      }
    }

    public String fqdn(Peer peer) {
      return peer.name() + "." + domain;
    }
  }

  /**
   * One peer: its container is {@code name.<org domain>}.
   *
   * @param port published host port for the peer's gRPC services (container port 7051)
   * @param operationsPort published host port for operations (container port 9443)
   */
  public record Peer(String name, String host, int port, int operationsPort) {
    public Peer {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(host, "host");
      requirePort(port);
      requirePort(operationsPort);
    }
  }

  /**
   * A channel and its block cutting (configtx.yaml Orderer.BatchTimeout / BatchSize: Fabric sets
   * them per channel; the inventory's top-level {@code batch} is every channel's default).
   */
  public record Channel(String name, BatchSettings batch) {
    public Channel {
      Objects.requireNonNull(name, "name");
      }
  }

  /** Images the compose files run; the tars (if given) are shipped and docker-loaded. */
  public record Images(
      String orderer, String peer, Optional<Path> ordererTar, Optional<Path> peerTar) {
    public Images {
      Objects.requireNonNull(orderer, "orderer");
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(ordererTar, "ordererTar");
      Objects.requireNonNull(peerTar, "peerTar");
    }
  }

  /**
   * @param ordererMemory each orderer container's memory limit in bytes (inventory
   *     {@code resources.ordererMemory}); empty sizes it from the channels' AbsoluteMaxBytes
   */
  public record Resources(Optional<Long> ordererMemory) {
    public Resources {
      Objects.requireNonNull(ordererMemory, "ordererMemory");
    }
  }

  /** The channel names, in file order. */
  public List<String> channelNames() {
    return channels.stream().map(Channel::name).toList();
  }

  /** All peers of all orgs, in file order. */
  public List<Peer> allPeers() {
    List<Peer> all = new ArrayList<>();
    peerOrgs.forEach(o -> all.addAll(o.peers()));
    return all;
  }

  private static void requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }
}
