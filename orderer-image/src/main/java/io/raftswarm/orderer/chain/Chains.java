package io.raftswarm.orderer.chain;

import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.orderer.config.ConsenterPlacement;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.ledger.LedgerConfig;
import io.raftswarm.orderer.ops.OrdererMetrics;
import io.raftswarm.orderer.raft.BlockPuller;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.Block;

/** Creates a {@link Chain}: opens its ledger under the ledger directory and seeds it with the genesis block. */
public final class Chains {
  private Chains() {}

  public static Chain open(ChannelConfig config, Block genesis, Path ledgerRoot, X509Certificate myTlsCertificate,
      SigningIdentity signer, OrdererMetrics metrics, ChainRuntime runtime, BlockPuller puller, ConsenterPlacement placement,
      boolean cutWhenIdle) throws IOException {
    BlockStore ledger = BlockStore.open(ledgerRoot.resolve("chains").resolve(config.channelId()));
    try {
      if (ledger.height() == 0) {
        ledger.append(genesis, true);
      } else {
        byte[] stored = BlockHashing.headerHash(ledger.block(0).getHeader());
        byte[] given = BlockHashing.headerHash(genesis.getHeader());
        if (!Arrays.equals(stored, given)) {
          throw new IllegalArgumentException("channel " + config.channelId() + ": the ledger in " + ledgerRoot
              + " starts with genesis block " + HexFormat.of().formatHex(stored) + " but the bootstrap block hashes to "
              + HexFormat.of().formatHex(given) + "; use the original <channel>.block or a fresh ORDERER_FILELEDGER_LOCATION");
        }
      }
      // Config updates ordered since the genesis block are in force, not the genesis config.
      LedgerConfig current = LedgerConfig.of(ledger);
      ChannelConfig inForce = current.blockNumber() == 0 ? config : ChannelConfigs.fromConfig(config.channelId(), current.config());
      return new Chain(inForce, current.config(), myTlsCertificate, ledger, signer, metrics, runtime, puller, placement, cutWhenIdle);
    } catch (IOException | RuntimeException e) {
      ledger.close();
      throw e;
    }
  }
}
