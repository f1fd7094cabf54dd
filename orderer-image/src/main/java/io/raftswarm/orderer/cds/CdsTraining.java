package io.raftswarm.orderer.cds;

import com.google.protobuf.ByteString;
import io.raftswarm.common.cds.TrainingRun;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.NodeSpec;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.Orderer;
import io.raftswarm.orderer.OrdererMain;
import io.raftswarm.orderer.bench.OrdererClient;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * The class-data-sharing training run that scripts/build-images performs inside the orderer
 * image: {@code java <image flags> -XX:DumpLoadedClassList=... io.raftswarm.orderer.cds.CdsTraining}.
 * It starts one orderer the way {@link OrdererMain} does (ORDERER_* settings, TLS, a channel
 * from a genesis block, a fresh WAL), waits for {@code /healthz} and for it to lead the channel,
 * orders a few signed transactions through Broadcast, stops it and exits, so that the archive
 * holds the classes of start-up and of the ordering path. Everything lives in a temporary
 * directory that is removed at the end; only loopback ports are used. Not for production use.
 */
public final class CdsTraining {
  private static final String CHANNEL = "cdstraining";
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    OrdererMain.applyLoggingSpec(System.getenv().getOrDefault("FABRIC_LOGGING_SPEC", "INFO"));
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
    int[] ports = TrainingRun.freePorts(3);
    Path tlsDir = crypto.nodeTls(ordererOrg, "orderer");
    byte[] tlsCert = Files.readAllBytes(tlsDir.resolve("server.crt"));
    List<OrgMsp> ordererOrgs = List.of(crypto.orgMsp(ordererOrg));
    ChannelConfig channel = new ChannelConfig(CHANNEL, List.of(new Consenter(1, "127.0.0.1", ports[1], tlsCert, tlsCert)),
        List.of("127.0.0.1:" + ports[0]), RaftOptions.defaults(), BatchSettings.defaults(), ordererOrgs,
        List.of(crypto.orgMsp(org1)));
    Path channels = Files.createDirectories(dir.resolve("channels"));
    Files.write(channels.resolve(CHANNEL + ".block"), ChannelConfigs.genesisBlock(channel).toByteArray());

    Map<String, String> env = new HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(ports[0]));
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", crypto.nodeMsp(ordererOrg, "orderer").toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", tlsDir.resolve("server.key").toString());
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", tlsDir.resolve("server.crt").toString());
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", "[" + tlsDir.resolve("ca.crt") + "]");
    env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", Integer.toString(ports[1]));
    env.put("ORDERER_GENERAL_BOOTSTRAPDIR", channels.toString());
    env.put("ORDERER_FILELEDGER_LOCATION", dir.resolve("data").toString());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + ports[2]);

    try (Orderer orderer = Orderer.start(OrdererConfigLoader.load(env))) {
      TrainingRun.awaitHealthy("orderer", ports[2], 60_000);
      Chain chain = orderer.chain(CHANNEL).orElseThrow();
      long deadline = System.currentTimeMillis() + 60_000;
      while (chain.leaderId() != chain.nodeId()) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the training orderer did not become leader of " + CHANNEL + " in 60 s");
        }
        Thread.sleep(50);
      }
      SigningIdentity user = crypto.userIdentity(org1, "User1");
      TlsMaterial clientTls = crypto.userTlsMaterial(org1, "User1").withTrustedRoots(crypto.allTlsRoots());
      try (OrdererClient client = new OrdererClient("127.0.0.1:" + ports[0], clientTls)) {
        for (int round = 0; round < 5; round++) {
          List<Envelope> batch = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            batch.add(Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL,
                ByteString.copyFromUtf8("cds training " + round + "/" + i), user));
          }
          for (BroadcastResponse response : client.broadcast(batch, 30)) {
            if (response.getStatusValue() != 200) {
              throw new IllegalStateException("training transaction refused: " + response.getStatus() + " " + response.getInfo());
            }
          }
        }
      }
      TrainingRun.get(ports[2], "/metrics");
      TrainingRun.get(ports[2], "/status");
    }
  }
}
