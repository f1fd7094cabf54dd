package io.raftswarm.peer.cds;

import io.raftswarm.common.cds.TrainingRun;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
      TrainingRun.deleteTree(dir);
    }
    System.out.println("CDS training: done");
    System.exit(0);
  }

  private static void run(Path dir) throws Exception {
    OrgSpec ordererOrg = new OrgSpec("OrdererOrg", "example.com", "OrdererMSP", true,
        List.of(new NodeSpec("orderer", LOOPBACK)), 0);
    OrgSpec org1 = new OrgSpec("Org1", "org1.example.com", "Org1MSP", false, List.of(new NodeSpec("peer0", LOOPBACK)), 1);
    CryptoTree crypto = CryptoGen.generate(dir.resolve("crypto-config"), List.of(ordererOrg, org1), false);
    int[] ports = TrainingRun.freePorts(4);
    byte[] ordererTls = Files.readAllBytes(crypto.nodeTls(ordererOrg, "orderer").resolve("server.crt"));
    List<OrgMsp> ordererOrgs = List.of(crypto.orgMsp(ordererOrg));
    ChannelConfig channel = new ChannelConfig(CHANNEL, List.of(new Consenter(1, "127.0.0.1", ports[3], ordererTls, ordererTls)),
        List.of("127.0.0.1:" + ports[2]), RaftOptions.defaults(), BatchSettings.defaults(), ordererOrgs,
        List.of(crypto.orgMsp(org1)));
    PeerConfig config = PeerConfig.local("peer0.org1.example.com", "Org1MSP", crypto.nodeMsp(org1, "peer0"),
        crypto.nodeTls(org1, "peer0"), ports[0], ports[1], dir.resolve("production"));
    try (Peer peer = Peer.start(config)) {
      TrainingRun.awaitHealthy("peer", ports[1], 60_000);
      peer.channels().join(ChannelConfigs.genesisBlock(channel));
      Thread.sleep(1_000); // one pull attempt against the absent orderer
      TrainingRun.get(ports[1], "/metrics");
      TrainingRun.get(ports[1], "/status");
    }
  }
}
