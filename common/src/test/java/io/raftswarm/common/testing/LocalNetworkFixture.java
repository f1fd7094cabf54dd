package io.raftswarm.common.testing;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.NodeSpec;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.common.tls.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A complete local Fabric-style network on loopback for tests: crypto material in cryptogen
 * layout (OrdererOrg {@code example.com} with orderer, orderer2..ordererN; Org1 and Org2 with
 * peer0..peerM-1, Admin and User1), free 127.0.0.1 ports for every listener, and one genesis
 * block per channel in {@code dir/channel-artifacts/<channel>.block}. Nothing is started.
 *
 * <p>Ports are found by binding port 0 and released again, so another process could take one
 * before the node binds it; on a test machine that is rare enough to accept.
 */
public final class LocalNetworkFixture {
  public static final String HOST = "127.0.0.1";
  public static final List<String> LOOPBACK_SANS = List.of("127.0.0.1", "localhost");

  /**
   * An orderer of the fixture.
   *
   * @param name the FQDN, e.g. {@code orderer2.example.com}
   * @param id the consenter id (1..N), also the index for {@link #orderer(int)}
   * @param port Broadcast/Deliver port
   * @param clusterPort Raft port
   */
  public record OrdererNode(String name, int id, Path mspDir, Path tlsDir, int port, int clusterPort, int operationsPort) {
    public String endpoint() {
      return HOST + ":" + port;
    }

    public String clusterEndpoint() {
      return HOST + ":" + clusterPort;
    }

    public SigningIdentity identity() {
      return SigningIdentity.load(mspDir, ORDERER_MSP);
    }
  }

  /**
   * A peer of the fixture.
   *
   * @param name the FQDN, e.g. {@code peer0.org1.example.com}
   * @param org {@code Org1} or {@code Org2}
   */
  public record PeerNode(String name, String org, String mspId, int index, Path mspDir, Path tlsDir, int port, int operationsPort) {
    public String endpoint() {
      return HOST + ":" + port;
    }

    public SigningIdentity identity() {
      return SigningIdentity.load(mspDir, mspId);
    }
  }

  static final String ORDERER_MSP = "OrdererMSP";

  private final Path dir;
  private final CryptoTree crypto;
  private final List<OrdererNode> orderers;
  private final List<PeerNode> peers;
  private final Map<String, ChannelConfig> channels;

  private LocalNetworkFixture(Path dir, CryptoTree crypto, List<OrdererNode> orderers, List<PeerNode> peers,
      Map<String, ChannelConfig> channels) {
    this.dir = dir;
    this.crypto = crypto;
    this.orderers = List.copyOf(orderers);
    this.peers = List.copyOf(peers);
    this.channels = Map.copyOf(channels);
  }

  /** With Fabric's default Raft options and raftswarm's default batch settings. */
  public static LocalNetworkFixture create(Path dir, int orderers, int peersPerOrg, List<String> channels) {
    return create(dir, orderers, peersPerOrg, channels, RaftOptions.defaults(), BatchSettings.defaults());
  }

  public static LocalNetworkFixture create(Path dir, int orderers, int peersPerOrg, List<String> channels,
      RaftOptions raftOptions, BatchSettings batch) {
    if (orderers < 1) {
      throw new IllegalArgumentException("a network needs at least one orderer, asked for " + orderers);
    }
    if (peersPerOrg < 0) {
      throw new IllegalArgumentException("peersPerOrg must be >= 0, was " + peersPerOrg);
    }
    List<OrgSpec> specs = orgSpecs(orderers, peersPerOrg);
    CryptoTree crypto = CryptoGen.generate(dir.resolve("crypto-config"), specs, true);
    OrgSpec ordererOrg = specs.get(0);

    int[] ports = freePorts(orderers * 3 + 2 * peersPerOrg * 2);
    int next = 0;
    List<OrdererNode> ordererNodes = new ArrayList<>();
    for (int i = 1; i <= orderers; i++) {
      String hostname = ordererHostname(i);
      ordererNodes.add(new OrdererNode(hostname + "." + ordererOrg.domain(), i,
          crypto.nodeMsp(ordererOrg, hostname), crypto.nodeTls(ordererOrg, hostname),
          ports[next++], ports[next++], ports[next++]));
    }
    List<PeerNode> peerNodes = new ArrayList<>();
    for (OrgSpec org : specs.subList(1, specs.size())) {
      for (int i = 0; i < peersPerOrg; i++) {
        String hostname = "peer" + i;
        peerNodes.add(new PeerNode(hostname + "." + org.domain(), org.name(), org.mspId(), i,
            crypto.nodeMsp(org, hostname), crypto.nodeTls(org, hostname), ports[next++], ports[next++]));
      }
    }

    List<OrgMsp> ordererOrgs = List.of(crypto.orgMsp(ordererOrg));
    List<OrgMsp> applicationOrgs = specs.subList(1, specs.size()).stream().map(crypto::orgMsp).toList();
    Map<String, ChannelConfig> configs = new LinkedHashMap<>();
    Path artifacts = dir.resolve("channel-artifacts");
    try {
      Files.createDirectories(artifacts);
      for (String channel : channels) {
        List<Consenter> consenters = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        for (OrdererNode node : ordererNodes) {
          byte[] tlsCert = Files.readAllBytes(node.tlsDir().resolve("server.crt"));
          consenters.add(new Consenter(node.id(), HOST, node.clusterPort(), tlsCert, tlsCert));
          endpoints.add(node.endpoint());
        }
        Map<String, List<String>> anchorPeers = new LinkedHashMap<>();
        for (PeerNode peer : peerNodes) {
          anchorPeers.putIfAbsent(peer.mspId(), List.of(peer.endpoint()));
        }
        ChannelConfig config = new ChannelConfig(channel, consenters, endpoints, raftOptions, batch, ordererOrgs,
            applicationOrgs, anchorPeers);
        Path block = artifacts.resolve(channel + ".block");
        Path temp = Files.createTempFile(artifacts, "." + channel, ".tmp");
        Files.write(temp, ChannelConfigs.genesisBlock(config).toByteArray());
        Files.move(temp, block, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        configs.put(channel, config);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write channel artifacts to " + artifacts, e);
    }
    return new LocalNetworkFixture(dir, crypto, ordererNodes, peerNodes, configs);
  }

  /** OrdererOrg, Org1, Org2 as Fabric's samples name them; the first orderer is {@code orderer}. */
  static List<OrgSpec> orgSpecs(int orderers, int peersPerOrg) {
    List<NodeSpec> ordererNodes = new ArrayList<>();
    for (int i = 1; i <= orderers; i++) {
      ordererNodes.add(new NodeSpec(ordererHostname(i), LOOPBACK_SANS));
    }
    List<OrgSpec> specs = new ArrayList<>();
    specs.add(new OrgSpec("OrdererOrg", "example.com", ORDERER_MSP, true, ordererNodes, 0));
    for (int org = 1; org <= 2; org++) {
      List<NodeSpec> peerNodes = new ArrayList<>();
      for (int i = 0; i < peersPerOrg; i++) {
        peerNodes.add(new NodeSpec("peer" + i, LOOPBACK_SANS));
      }
      specs.add(new OrgSpec("Org" + org, "org" + org + ".example.com", "Org" + org + "MSP", false, peerNodes, 1));
    }
    return List.copyOf(specs);
  }

  private static String ordererHostname(int id) {
    return id == 1 ? "orderer" : "orderer" + id;
  }

  /** Distinct currently free loopback ports; all are held open until every one is found. */
  /**
   * Ports that are free now, chosen below the kernel's ephemeral range: a port the kernel hands out
   * for bind(0) can be taken by any outgoing connection (another test's cluster) between being
   * found here and being bound by the node, and a node then fails with "Address already in use".
   * A port is handed out once per JVM, so two callers never get the same one.
   */
  public static int[] freePorts(int count) {
    int below = ephemeralRangeStart();
    java.util.Random random = new java.util.Random();
    java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
    for (int attempt = 0; chosen.size() < count && attempt < 100 * count; attempt++) {
      int port = 10_000 + random.nextInt(Math.max(1, below - 10_000));
      if (!chosen.contains(port) && !HANDED_OUT.contains(port) && bindable(port)) {
        chosen.add(port);
      }
    }
    if (chosen.size() < count) {
      throw new IllegalStateException("cannot find " + count + " free ports on " + HOST + " between 10000 and " + below);
    }
    HANDED_OUT.addAll(chosen);
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of /proc/sys/net/ipv4/ip_local_port_range (Linux), 32768 elsewhere. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Math.max(11_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }


  public Path dir() {
    return dir;
  }

  /** {@code dir/crypto-config}, in cryptogen layout. */
  public Path cryptoDir() {
    return crypto.root();
  }

  public CryptoTree crypto() {
    return crypto;
  }

  /** The orderer with consenter id {@code id} (1..N): 1 = {@code orderer}, 2 = {@code orderer2}, ... */
  public OrdererNode orderer(int id) {
    if (id < 1 || id > orderers.size()) {
      throw new IllegalArgumentException("orderer ids are 1.." + orderers.size() + ", asked for " + id);
    }
    return orderers.get(id - 1);
  }

  public List<OrdererNode> orderers() {
    return orderers;
  }

  /** Peer {@code peer<i>} of {@code org} ("Org1", "Org2"), i from 0. */
  public PeerNode peer(String org, int i) {
    return peers.stream().filter(p -> p.org().equals(org) && p.index() == i).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no peer" + i + " in " + org + "; peers: "
            + peers.stream().map(PeerNode::name).toList()));
  }

  public List<PeerNode> peers() {
    return peers;
  }

  /**
   * The orderer's environment in Fabric's {@code ORDERER_*} style (docs/CONTRACTS.md, "Container
   * environment"), on loopback, bootstrapping every channel of this fixture, with its ledger in
   * {@code ledgerDir}. Callers add their own overrides (e.g. snapshot intervals).
   */
  public java.util.Map<String, String> ordererEnvironment(int id, Path ledgerDir) {
    OrdererNode node = orderer(id);
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(node.port()));
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", node.mspDir().toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", node.tlsDir().resolve("server.key").toString());
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", node.tlsDir().resolve("server.crt").toString());
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", "[" + node.tlsDir().resolve("ca.crt") + "]");
    env.put("ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "true");
    env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", Integer.toString(node.clusterPort()));
    env.put("ORDERER_GENERAL_BOOTSTRAPDIR", dir.resolve("channel-artifacts").toString());
    env.put("ORDERER_FILELEDGER_LOCATION", ledgerDir.toString());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + node.operationsPort());
    return env;
  }

  public Path genesisBlock(String channel) {
    channelConfig(channel);
    return dir.resolve("channel-artifacts").resolve(channel + ".block");
  }

  public ChannelConfig channelConfig(String channel) {
    ChannelConfig config = channels.get(channel);
    if (config == null) {
      throw new IllegalArgumentException("no channel " + channel + " in the fixture; channels: " + channels.keySet());
    }
    return config;
  }

  public List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  /** All orgs of the network (orderer org first), for creator and signature checks. */
  public MspRegistry msps() {
    return new MspRegistry(crypto.orgs().stream().map(crypto::orgMsp).toList());
  }

  /** The TLS CA certificates of every org: what an orderer trusts for client connections. */
  public List<X509Certificate> tlsRoots() {
    return crypto.allTlsRoots();
  }

  /** A user's signing identity: org "OrdererOrg", "Org1", "Org2"; user "Admin" or "User1". */
  public SigningIdentity user(String org, String user) {
    OrgSpec spec = crypto.org(org);
    requireUser(spec, user);
    return crypto.userIdentity(spec, user);
  }

  /** The TLS client material of the org's User1 (Admin for OrdererOrg), trusting every org's TLS CA. */
  public TlsMaterial clientTls(String org) {
    OrgSpec spec = crypto.org(org);
    String user = spec.users() > 0 ? "User1" : "Admin";
    return crypto.userTlsMaterial(spec, user).withTrustedRoots(tlsRoots());
  }

  /** The orderer's TLS material trusting every org's TLS CA (what a Broadcast/cluster server needs). */
  public TlsMaterial ordererTls(int id) {
    return TlsMaterial.load(orderer(id).tlsDir()).withTrustedRoots(tlsRoots());
  }

  /** The peer's TLS material trusting every org's TLS CA. */
  public TlsMaterial peerTls(String org, int i) {
    return TlsMaterial.load(peer(org, i).tlsDir()).withTrustedRoots(tlsRoots());
  }

  private static void requireUser(OrgSpec spec, String user) {
    if (!spec.userNames().contains(Objects.requireNonNull(user, "user"))) {
      throw new IllegalArgumentException("org " + spec.name() + " has users " + spec.userNames() + ", not " + user);
    }
  }
}
