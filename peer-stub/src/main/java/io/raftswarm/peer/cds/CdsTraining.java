package io.raftswarm.peer.cds;

import io.raftswarm.common.cds.TrainingNetwork;
import io.raftswarm.common.cds.TrainingRun;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.peer.Peer;
import io.raftswarm.peer.PeerConfig;
import io.raftswarm.peer.PeerMain;
import java.nio.file.Path;

/**
 * The training run that scripts/build-images performs inside the peer image for its AOT cache
 * (Java 25: {@code java <image flags> -XX:AOTCacheOutput=... io.raftswarm.peer.cds.CdsTraining})
 * or class-data-sharing archive (Java 17: {@code -XX:DumpLoadedClassList=...}).
 * It starts one peer the way {@link PeerMain} does (mutual TLS, operations endpoint), waits for
 * {@code /healthz}, joins a channel from a genesis block (its orderer is not running: the block
 * puller just retries), reads {@code /metrics} and {@code /status}, stops it and exits. Everything
 * lives in a temporary directory that is removed at the end; only loopback ports are used.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    TrainingRun.main(PeerMain::applyLoggingSpec, CdsTraining::run);
  }

  private static void run(Path dir) throws Exception {
    TrainingNetwork network = TrainingNetwork.generate(dir);
    CryptoTree crypto = network.crypto();
    int[] ports = TrainingRun.freePorts(4);
    ChannelConfig channel = network.channel(ports[2], ports[3]);
    PeerConfig config = PeerConfig.local("peer0.org1.example.com", "Org1MSP", crypto.nodeMsp(network.org1(), "peer0"),
        crypto.nodeTls(network.org1(), "peer0"), ports[0], ports[1], dir.resolve("production"));
    try (Peer peer = Peer.start(config)) {
      TrainingRun.awaitHealthy("peer", ports[1], 60_000);
      peer.channels().join(ChannelConfigs.genesisBlock(channel));
      Thread.sleep(1_000); // one pull attempt against the absent orderer
      TrainingRun.get(ports[1], "/metrics");
      TrainingRun.get(ports[1], "/status");
    }
  }
}
