package io.raftswarm.orderer.participation;

import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.files.FileTrees;
import io.raftswarm.orderer.ledger.BlockStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the channel participation API changed, kept in the ledger directory so a restart serves
 * the same channels: a channel joined through the API is a ledger under {@code chains/<channel>}
 * whose block 0 is its join block; a bootstrap channel (from {@code ORDERER_GENERAL_BOOTSTRAPDIR})
 * that was removed leaves {@code participation/removed/<channel>} holding its genesis block hash,
 * so the same block in the bootstrap directory does not bring it back (a different one would).
 */
public final class JoinedChannels {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.channelparticipation");

  private final Path ledgerDir;

  public JoinedChannels(Path ledgerDir) {
    this.ledgerDir = ledgerDir;
  }

  /** Where {@link io.raftswarm.orderer.chain.Chains} keeps the ledger of {@code channel}. */
  public Path ledger(String channel) {
    return ledgerDir.resolve("chains").resolve(channel);
  }

  /**
   * Block 0 of every stored ledger whose channel is not in {@code bootstrap}. A directory left
   * empty by a join that crashed before writing block 0 is deleted.
   */
  public List<Block> joinBlocks(Set<String> bootstrap) throws IOException {
    Path chains = ledgerDir.resolve("chains");
    if (!Files.isDirectory(chains)) {
      return List.of();
    }
    List<Block> blocks = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(chains)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String channel = dir.getFileName().toString();
        if (bootstrap.contains(channel)) {
          continue;
        }
        try (BlockStore store = BlockStore.open(dir)) {
          if (store.height() > 0) {
            blocks.add(store.block(0));
            continue;
          }
        }
        LOG.warn("Deleting {}: a join of channel {} stopped before its first block was written", dir, channel);
        FileTrees.deleteRecursively(dir);
      }
    }
    return blocks;
  }

  /** Whether {@code genesis} of a bootstrap channel was removed through the API. */
  public boolean removed(String channel, Block genesis) {
    Path marker = marker(channel);
    try {
      return Files.isRegularFile(marker) && Files.readString(marker).trim().equals(hash(genesis));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + marker, e);
    }
  }

  public void markRemoved(String channel, Block genesis) throws IOException {
    Path marker = marker(channel);
    Files.createDirectories(marker.getParent());
    Path tmp = marker.resolveSibling(channel + ".tmp");
    Files.writeString(tmp, hash(genesis) + "\n");
    Files.move(tmp, marker, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public void clearRemoved(String channel) throws IOException {
    Files.deleteIfExists(marker(channel));
  }

  /** Deletes a channel's ledger directory. */
  public void deleteLedger(String channel) throws IOException {
    FileTrees.deleteRecursively(ledger(channel));
  }

  private Path marker(String channel) {
    return ledgerDir.resolve("participation").resolve("removed").resolve(channel);
  }

  private static String hash(Block genesis) {
    return HexFormat.of().formatHex(BlockHashing.headerHash(genesis.getHeader()));
  }


}
