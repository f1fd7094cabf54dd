package io.raftswarm.orderer.cds;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.cds.TrainingNetwork;
import io.raftswarm.common.cds.TrainingRun;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.grpc.FirstResponse;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.Orderer;
import io.raftswarm.orderer.OrdererMain;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
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
  private static final String CHANNEL = TrainingNetwork.CHANNEL;

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    TrainingRun.main(OrdererMain::applyLoggingSpec, CdsTraining::run);
  }

  private static void run(Path dir) throws Exception {
    TrainingNetwork network = TrainingNetwork.generate(dir);
    CryptoTree crypto = network.crypto();
    int[] ports = TrainingRun.freePorts(3);
    Path tlsDir = network.ordererTls();
    ChannelConfig channel = network.channel(ports[0], ports[1]);
    Path channels = Files.createDirectories(dir.resolve("channels"));
    Files.write(channels.resolve(CHANNEL + ".block"), ChannelConfigs.genesisBlock(channel).toByteArray());

    Map<String, String> env = new HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(ports[0]));
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", crypto.nodeMsp(network.ordererOrg(), "orderer").toString());
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
      SigningIdentity user = crypto.userIdentity(network.org1(), "User1");
      TlsMaterial clientTls = crypto.userTlsMaterial(network.org1(), "User1").withTrustedRoots(crypto.allTlsRoots());
      ManagedChannel connection = GrpcChannels.open("127.0.0.1:" + ports[0], clientTls);
      try {
        for (int round = 0; round < 5; round++) {
          List<CompletableFuture<BroadcastResponse>> answers = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            answers.add(broadcast(connection, Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL,
                ByteString.copyFromUtf8("cds training " + round + "/" + i), user)));
          }
          for (CompletableFuture<BroadcastResponse> answer : answers) {
            BroadcastResponse response = answer.get(30, TimeUnit.SECONDS);
            if (response.getStatusValue() != 200) {
              throw new IllegalStateException("training transaction refused: " + response.getStatus() + " " + response.getInfo());
            }
          }
        }
      } finally {
        connection.shutdownNow();
      }
      TrainingRun.get(ports[2], "/metrics");
      TrainingRun.get(ports[2], "/status");
    }
  }

  /**
   * Broadcasts one envelope on a stream of its own and half-closes it (the orderer answers what it
   * holds first). A round's envelopes are in flight together, so its blocks hold several.
   */
  private static CompletableFuture<BroadcastResponse> broadcast(ManagedChannel connection, Envelope envelope) {
    CompletableFuture<BroadcastResponse> answer = new CompletableFuture<>();
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(connection)
        .broadcast(FirstResponse.into(answer, "the training orderer closed the Broadcast stream without an answer"));
    requests.onNext(envelope);
    requests.onCompleted();
    return answer;
  }
}
