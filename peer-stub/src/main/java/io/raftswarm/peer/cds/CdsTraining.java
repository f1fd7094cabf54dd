package io.raftswarm.peer.cds;

import com.google.protobuf.ByteString;
import io.raftswarm.common.cds.TrainingNetwork;
import io.raftswarm.common.cds.TrainingRun;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.peer.Peer;
import io.raftswarm.peer.PeerConfig;
import io.raftswarm.peer.PeerMain;
import io.raftswarm.peer.channel.ChannelLedger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;

/**
 * The training run that scripts/build-images performs inside the peer image for its AOT cache
 * (Java 25: {@code java <image flags> -XX:AOTCacheOutput=... io.raftswarm.peer.cds.CdsTraining})
 * or class-data-sharing archive (Java 17: {@code -XX:DumpLoadedClassList=...}).
 * It starts one peer the way {@link PeerMain} does (mutual TLS, operations endpoint), waits for
 * {@code /healthz}, joins a channel from a genesis block (its orderer is not running: the block
 * puller just retries), commits {@value #BLOCKS} blocks of {@value #PER_BLOCK} signed transactions
 * as an orderer would have cut and signed them (the bench's kind: the peer verifies each and marks
 * it invalid, so the AOT cache's profiles are those of a peer following a busy channel), reads
 * {@code /metrics} and {@code /status}, stops it and exits. Everything lives in a temporary
 * directory that is removed at the end; only loopback ports are used.
 */
public final class CdsTraining {
  private static final int BLOCKS = 100;
  private static final int PER_BLOCK = 100;

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
      Block genesis = ChannelConfigs.genesisBlock(channel);
      peer.channels().join(genesis);
      Thread.sleep(1_000); // one pull attempt against the absent orderer
      commitBlocks(peer.channels().ledger(TrainingNetwork.CHANNEL).orElseThrow(), genesis, network);
      TrainingRun.get(ports[1], "/metrics");
      TrainingRun.get(ports[1], "/status");
    }
  }

  /** Commits blocks 1..{@value #BLOCKS} after {@code genesis}, signed by the training orderer. */
  private static void commitBlocks(ChannelLedger ledger, Block genesis, TrainingNetwork network) {
    SigningIdentity user = network.crypto().userIdentity(network.org1(), "User1");
    SigningIdentity orderer = network.crypto().nodeIdentity(network.ordererOrg(), TrainingNetwork.ORDERERS.get(0));
    byte[] previous = BlockHashing.headerHash(genesis.getHeader());
    for (long number = 1; number <= BLOCKS; number++) {
      List<ByteString> envelopes = new ArrayList<>(PER_BLOCK);
      for (int i = 0; i < PER_BLOCK; i++) {
        envelopes.add(Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, TrainingNetwork.CHANNEL,
            ByteString.copyFromUtf8("cds training " + number + "/" + i), user).toByteString());
      }
      Block block = Blocks.withSignature(Blocks.build(number, previous, envelopes), orderer);
      ledger.commit(block);
      if (ledger.height() != number + 1) {
        throw new IllegalStateException("training block " + number + " was not committed (height " + ledger.height() + ")");
      }
      previous = BlockHashing.headerHash(block.getHeader());
    }
  }
}
