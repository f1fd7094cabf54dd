package io.raftswarm.peer.cds;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.NodeSpec;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.peer.Peer;
import io.raftswarm.peer.PeerConfig;
import io.raftswarm.peer.PeerMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class-data-sharing training run that scripts/build-images performs inside the peer image:
 * {@code java <image flags> -XX:DumpLoadedClassList=... io.raftswarm.peer.cds.CdsTraining}.
 * It starts one peer the way {@link PeerMain} does (mutual TLS, operations endpoint), waits for
 * {@code /healthz}, joins a channel from a genesis block (its orderer is not running: the block
 * puller just retries), reads {@code /metrics} and {@code /status}, stops it and exits. Everything
 * lives in a temporary directory that is removed at the end; only loopback ports are used.
 */
public final class CdsTraining {
  private static final String CHANNEL = "cdstraining";
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    PeerMain.applyLoggingSpec(System.getenv().getOrDefault("FABRIC_LOGGING_SPEC", "INFO"));
    Path dir = Files.createTempDirectory("cds-training");
    try {
      run(dir);
    } finally {
      deleteTree(dir);
    }
    System.out.println("CDS training: done");
    System.exit(0);
  }

  private static void run(Path dir) throws Exception {
    OrgSpec ordererOrg = new OrgSpec("OrdererOrg", "example.com", "OrdererMSP", true,
        List.of(new NodeSpec("orderer", LOOPBACK)), 0);
    OrgSpec org1 = new OrgSpec("Org1", "org1.example.com", "Org1MSP", false, List.of(new NodeSpec("peer0", LOOPBACK)), 1);
    CryptoTree crypto = CryptoGen.generate(dir.resolve("crypto-config"), List.of(ordererOrg, org1), false);
    int[] ports = freePorts(4);
    byte[] ordererTls = Files.readAllBytes(crypto.nodeTls(ordererOrg, "orderer").resolve("server.crt"));
    List<OrgMsp> ordererOrgs = List.of(crypto.orgMsp(ordererOrg));
    ChannelConfig channel = new ChannelConfig(CHANNEL, List.of(new Consenter(1, "127.0.0.1", ports[3], ordererTls, ordererTls)),
        List.of("127.0.0.1:" + ports[2]), RaftOptions.defaults(), BatchSettings.defaults(), ordererOrgs,
        List.of(crypto.orgMsp(org1)));
    PeerConfig config = PeerConfig.local("peer0.org1.example.com", "Org1MSP", crypto.nodeMsp(org1, "peer0"),
        crypto.nodeTls(org1, "peer0"), ports[0], ports[1], dir.resolve("production"));
    try (Peer peer = Peer.start(config)) {
      awaitHealthy(ports[1], 60_000);
      peer.channels().join(ChannelConfigs.genesisBlock(channel));
      Thread.sleep(1_000); // one pull attempt against the absent orderer
      get(ports[1], "/metrics");
      get(ports[1], "/status");
    }
  }

  private static void awaitHealthy(int port, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (get(port, "/healthz") == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the training peer did not answer /healthz on port " + port);
  }

  private static int get(int port, String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("CDS training: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
