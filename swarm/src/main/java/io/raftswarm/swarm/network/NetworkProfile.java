package io.raftswarm.swarm.network;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Everything a client needs to reach a rendered/provisioned network: written by {@code render}
 * and {@code provision} as {@code network.json} next to the bundles; read by {@code invoke},
 * {@code query}, {@code status}, {@code drill} and {@code bench}. Paths are absolute.
 *
 * @param name network name (inventory {@code network.name}, e.g. first-network)
 * @param domain orderer domain (example.com)
 * @param cryptoDir root of the cryptogen-layout tree on the operator machine
 * @param channels channel names, in inventory order
 * @param hosts the hosts, in inventory order
 * @param nodes every orderer and peer
 * @param orgs every organization with its CA certificates and users' MSP/TLS dirs (empty in
 *     profiles written before this field existed)
 * @param runId the render that made the containers: set on the first render of a directory and
 *     kept by later ones, labelled on every container ({@link Labels#RUN}); "" in older profiles
 * @param images the images the compose files run and the tars provision ships (what
 *     {@code raftswarm invite} packs for an invited host); null in older profiles
 */
public record NetworkProfile(
    String name,
    String domain,
    String cryptoDir,
    List<String> channels,
    List<HostAccess> hosts,
    List<NodeEntry> nodes,
    List<OrgEntry> orgs,
    String runId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Images images) {

  @JsonCreator
  public NetworkProfile {
    channels = List.copyOf(channels);
    hosts = List.copyOf(hosts);
    nodes = List.copyOf(nodes);
    orgs = orgs == null ? List.of() : List.copyOf(orgs);
    runId = runId == null ? "" : runId;
  }

  /** Without images (clients that do not ship them). */
  public NetworkProfile(String name, String domain, String cryptoDir, List<String> channels,
      List<HostAccess> hosts, List<NodeEntry> nodes, List<OrgEntry> orgs, String runId) {
    this(name, domain, cryptoDir, channels, hosts, nodes, orgs, runId, null);
  }

  /**
   * The images the compose files run, and the tars (absolute paths on the operator machine, null
   * when the inventory names none) that provision loads on the hosts.
   */
  public record Images(String orderer, String peer,
      @JsonInclude(JsonInclude.Include.NON_NULL) String ordererTar,
      @JsonInclude(JsonInclude.Include.NON_NULL) String peerTar) {}

  /** Hosts provision reaches over SSH (all but the invited ones). */
  public List<HostAccess> reachableHosts() {
    return hosts.stream().filter(h -> !h.invite()).toList();
  }

  /** The same network seen from the hosts provision reaches: invited hosts and their nodes left out. */
  public NetworkProfile withoutInvitedHosts() {
    java.util.Set<String> reachable = new java.util.HashSet<>();
    reachableHosts().forEach(h -> reachable.add(h.name()));
    return new NetworkProfile(name, domain, cryptoDir, channels, reachableHosts(),
        nodes.stream().filter(n -> reachable.contains(n.host())).toList(), orgs, runId, images);
  }

  /** Without a run id (in-JVM networks and tests: no containers to label). */
  public NetworkProfile(String name, String domain, String cryptoDir, List<String> channels,
      List<HostAccess> hosts, List<NodeEntry> nodes, List<OrgEntry> orgs) {
    this(name, domain, cryptoDir, channels, hosts, nodes, orgs, "");
  }

  /** Without organizations (the original six-field form). */
  public NetworkProfile(String name, String domain, String cryptoDir, List<String> channels,
      List<HostAccess> hosts, List<NodeEntry> nodes) {
    this(name, domain, cryptoDir, channels, hosts, nodes, List.of(), "");
  }

  /** The same network with one more channel (created on the running network), or this one if it lists it. */
  public NetworkProfile withChannel(String channel) {
    if (channels.contains(channel)) {
      return this;
    }
    List<String> more = new java.util.ArrayList<>(channels);
    more.add(channel);
    return new NetworkProfile(name, domain, cryptoDir, more, hosts, nodes, orgs, runId, images);
  }

  /**
   * An organization and where its material is on the operator machine (absolute paths).
   *
   * @param kind "orderer" or "peer"
   * @param caCert PEM of the org's signing CA
   * @param tlsCaCert PEM of the org's TLS CA
   * @param userMsps user name (Admin, User1 ...) to MSP dir (signcerts/, keystore/)
   * @param userTls user name to TLS dir (client.crt, client.key, ca.crt) for mutual TLS
   */
  public record OrgEntry(
      String name, String mspId, String domain, String kind, String caCert, String tlsCaCert,
      java.util.Map<String, String> userMsps, java.util.Map<String, String> userTls) {
    public OrgEntry {
      // Sorted copies: network.json stays byte-identical across renders.
      userMsps = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(userMsps));
      userTls = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(userTls));
    }
  }

  /** The organization with this name or MSP id. */
  public Optional<OrgEntry> org(String nameOrMspId) {
    return orgs.stream()
        .filter(o -> o.name().equals(nameOrMspId) || o.mspId().equals(nameOrMspId))
        .findFirst();
  }

  /**
   * One orderer or peer.
   *
   * @param name FQDN / container name, e.g. orderer7.example.com or peer0.org1.example.com
   * @param kind "orderer" or "peer"
   * @param org organization name (OrdererOrg, Org1 ...)
   * @param mspId MSP id (OrdererMSP, Org1MSP ...)
   * @param host inventory host name the node runs on
   * @param internalEndpoint name:port inside the overlay network
   * @param externalEndpoint host address:published port, for the operator machine
   * @param operationsEndpoint host address:published operations port (/healthz, /metrics, /status)
   * @param tlsCaCert PEM file of the TLS CA that issued the node's TLS certificate
   * @param consenterId Raft consenter id (1..N) for orderers, 0 for peers
   * @param overlayAddress the node's fixed IPv4 address on the overlay network ("" in profiles
   *     written before it existed); drills probe across a container's own network with it
   * @param adminEndpoint host address:published admin port of an orderer's channel participation
   *     API (what {@code osnadmin -o} takes); "" for peers and in profiles written before it existed
   */
  public record NodeEntry(
      String name,
      String kind,
      String org,
      String mspId,
      String host,
      String internalEndpoint,
      String externalEndpoint,
      String operationsEndpoint,
      String tlsCaCert,
      int consenterId,
      String overlayAddress,
      String adminEndpoint) {
    @JsonCreator
    public NodeEntry {
      overlayAddress = overlayAddress == null ? "" : overlayAddress;
      adminEndpoint = adminEndpoint == null ? "" : adminEndpoint;
    }

    /** Without an admin endpoint (peers, and clients that do not need one). */
    public NodeEntry(String name, String kind, String org, String mspId, String host, String internalEndpoint,
        String externalEndpoint, String operationsEndpoint, String tlsCaCert, int consenterId, String overlayAddress) {
      this(name, kind, org, mspId, host, internalEndpoint, externalEndpoint, operationsEndpoint, tlsCaCert,
          consenterId, overlayAddress, "");
    }

    /** Without an overlay address (clients that do not need one). */
    public NodeEntry(String name, String kind, String org, String mspId, String host, String internalEndpoint,
        String externalEndpoint, String operationsEndpoint, String tlsCaCert, int consenterId) {
      this(name, kind, org, mspId, host, internalEndpoint, externalEndpoint, operationsEndpoint, tlsCaCert,
          consenterId, "", "");
    }

    /** The port of {@link #internalEndpoint()}, e.g. 7050. */
    public int internalPort() {
      return Integer.parseInt(internalEndpoint.substring(internalEndpoint.lastIndexOf(':') + 1));
    }

    public boolean isOrderer() {
      return "orderer".equals(kind);
    }
  }

  /**
   * The node's directory in the cryptogen-layout tree on the operator machine,
   * {@code <cryptoDir>/ordererOrganizations/<domain>/orderers/<fqdn>} or the peer's counterpart;
   * its {@code msp/} and {@code tls/} are what the node's container mounts.
   */
  public Path nodeCryptoDir(NodeEntry n) {
    String domain = org(n.mspId()).map(OrgEntry::domain).orElse(n.name().substring(n.name().indexOf('.') + 1));
    return Path.of(cryptoDir)
        .resolve(n.isOrderer() ? "ordererOrganizations" : "peerOrganizations").resolve(domain)
        .resolve(n.isOrderer() ? "orderers" : "peers").resolve(n.name());
  }

  /** The host with this name; fails naming the network's hosts when there is none. */
  public HostAccess host(String hostName) {
    return hosts.stream().filter(h -> h.name().equals(hostName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("network " + name + " has no host " + hostName
            + " (its hosts: " + hosts.stream().map(HostAccess::name).toList() + ")"));
  }

  public List<NodeEntry> orderers() {
    return nodes.stream().filter(NodeEntry::isOrderer).toList();
  }

  public List<NodeEntry> peers() {
    return nodes.stream().filter(n -> !n.isOrderer()).toList();
  }

  /** Finds a node by FQDN, short name (orderer7), or either with a ":port" suffix. */
  public Optional<NodeEntry> node(String nameOrEndpoint) {
    String key = nameOrEndpoint.contains(":")
        ? nameOrEndpoint.substring(0, nameOrEndpoint.lastIndexOf(':'))
        : nameOrEndpoint;
    return nodes.stream()
        .filter(n -> n.name().equals(key) || n.name().startsWith(key + ".")
            || n.externalEndpoint().equals(nameOrEndpoint))
        .findFirst();
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static NetworkProfile read(Path file) {
    try {
      return JSON.readValue(file.toFile(), NetworkProfile.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read network profile " + file, e);
    }
  }

  /** Writes atomically (temp file + move) so a reader never sees half a profile. */
  public void write(Path file) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".network", ".json");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write network profile " + file, e);
    }
  }
}
