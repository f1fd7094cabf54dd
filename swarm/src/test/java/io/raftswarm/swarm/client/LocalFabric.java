package io.raftswarm.swarm.client;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.orderer.Orderer;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import io.raftswarm.peer.Peer;
import io.raftswarm.peer.PeerConfig;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Orderers and peers of a {@link LocalNetworkFixture}, started in this JVM on loopback with
 * mutual TLS, plus the network.json profile a client needs to reach them.
 */
final class LocalFabric implements AutoCloseable {
  static final String CHANNEL = "mychannel";
  /**
   * Fabric's production tick (500 ms, election after 10 ticks) rather than our 100 ms default:
   * 7 orderers and 4 peers share one JVM on a 2-core CI machine, and GC or scheduling pauses of
   * 0.3-0.5 s there made leaders with a 0.3-0.6 s election timeout step down again and again
   * (terms 1 to 9 before the first block). None of these tests measures elections.
   */
  static final RaftOptions RAFT = RaftOptions.defaults().withTickInterval(Duration.ofMillis(500));
  final LocalNetworkFixture fixture;
  final Path dir;
  final NetworkProfile profile;
  private final Map<Integer, Orderer> orderers = new LinkedHashMap<>();
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  /** Each orderer's admin (channel participation) port, fixed before start so network.json can name it. */
  private final Map<Integer, Integer> adminPorts = new LinkedHashMap<>();

  LocalFabric(Path dir, int orderers, int peersPerOrg, BatchSettings batch) {
    this.dir = dir;
    this.fixture = LocalNetworkFixture.create(dir, orderers, peersPerOrg, List.of(CHANNEL), RAFT, batch);
    for (var o : fixture.orderers()) {
      adminPorts.put(o.id(), freePort());
    }
    this.profile = profile(fixture, adminPorts);
  }

  private static int freePort() {
    return LocalNetworkFixture.freePorts(1)[0];
  }

  static NetworkProfile profile(LocalNetworkFixture f, Map<Integer, Integer> adminPorts) {
    CryptoTree crypto = f.crypto();
    List<NetworkProfile.NodeEntry> nodes = new ArrayList<>();
    OrgSpec ordererOrg = crypto.org("OrdererOrg");
    for (var o : f.orderers()) {
      nodes.add(new NetworkProfile.NodeEntry(o.name(), "orderer", "OrdererOrg", "OrdererMSP", "local", o.endpoint(),
          o.endpoint(), "127.0.0.1:" + o.operationsPort(), crypto.tlsCaCert(ordererOrg).toString(), o.id(), "",
          adminPorts.containsKey(o.id()) ? "127.0.0.1:" + adminPorts.get(o.id()) : ""));
    }
    for (var p : f.peers()) {
      nodes.add(new NetworkProfile.NodeEntry(p.name(), "peer", p.org(), p.mspId(), "local", p.endpoint(), p.endpoint(),
          "127.0.0.1:" + p.operationsPort(), crypto.tlsCaCert(crypto.org(p.org())).toString(), 0));
    }
    List<NetworkProfile.OrgEntry> orgs = new ArrayList<>();
    for (OrgSpec org : crypto.orgs()) {
      Map<String, String> msps = new LinkedHashMap<>();
      Map<String, String> tls = new LinkedHashMap<>();
      for (String user : org.userNames()) {
        msps.put(user, crypto.userMsp(org, user).toString());
        tls.put(user, crypto.userTls(org, user).toString());
      }
      orgs.add(new NetworkProfile.OrgEntry(org.name(), org.mspId(), org.domain(), org.ordererOrg() ? "orderer" : "peer",
          crypto.caCert(org).toString(), crypto.tlsCaCert(org).toString(), msps, tls));
    }
    return new NetworkProfile("local", "example.com", f.cryptoDir().toString(), List.of(CHANNEL),
        List.of(new HostAccess("local", "127.0.0.1", true, f.dir().toString())), nodes, orgs);
  }

  void startOrderers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(fixture.orderers().size());
    try {
      Map<Integer, Future<Orderer>> started = new LinkedHashMap<>();
      for (var o : fixture.orderers()) {
        started.put(o.id(), pool.submit(() -> Orderer.start(ordererConfig(o.id()))));
      }
      for (var e : started.entrySet()) {
        orderers.put(e.getKey(), e.getValue().get());
      }
    } finally {
      pool.shutdown();
    }
  }

  void startOrderer(int id) throws Exception {
    orderers.put(id, Orderer.start(ordererConfig(id)));
  }

  void stopOrderer(int id) {
    Orderer o = orderers.remove(id);
    if (o != null) {
      o.close();
    }
  }

  Orderer orderer(int id) {
    return orderers.get(id);
  }

  private io.raftswarm.orderer.config.OrdererConfig ordererConfig(int id) {
    var node = fixture.orderer(id);
    Map<String, String> env = fixture.ordererEnvironment(id, dir.resolve("data").resolve(node.name()));
    env.put("ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:" + adminPorts.get(id));
    return OrdererConfigLoader.load(env);
  }

  Peer startPeer(String name) throws Exception {
    var node = fixture.peers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    PeerConfig base = PeerConfig.local(node.name(), node.mspId(), node.mspDir(), node.tlsDir(), node.port(),
        node.operationsPort(), dir.resolve("data").resolve(node.name()));
    PeerConfig config = new PeerConfig(base.peerId(), base.mspId(), base.mspDir(), base.tlsCertFile(), base.tlsKeyFile(),
        base.tlsRootCertFile(), base.listenAddress(), base.fileSystemPath(), base.operationsAddress(),
        Duration.ofSeconds(3), Duration.ofMillis(300));
    Peer peer = Peer.start(config);
    peers.put(name, peer);
    return peer;
  }

  void stopPeer(String name) {
    Peer p = peers.remove(name);
    if (p != null) {
      p.close();
    }
  }

  Peer peer(String name) {
    return peers.get(name);
  }

  Path peerLedgerDir(String name) {
    return dir.resolve("data").resolve(name).resolve("ledgersData").resolve("chains").resolve(CHANNEL);
  }

  List<String> peerNames() {
    return fixture.peers().stream().map(LocalNetworkFixture.PeerNode::name).toList();
  }

  @Override
  public void close() {
    new ArrayList<>(peers.keySet()).forEach(this::stopPeer);
    new ArrayList<>(orderers.keySet()).forEach(this::stopOrderer);
  }
}
