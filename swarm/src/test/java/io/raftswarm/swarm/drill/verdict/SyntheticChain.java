package io.raftswarm.swarm.drill.verdict;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds hash-chained {@link BlockDigest}s for verdict tests with a simple stand-in hashing
 * (SHA-256 over text), so a chain is consistent unless a test breaks it on purpose.
 */
final class SyntheticChain {
  private final List<BlockDigest> blocks = new ArrayList<>();

  static SyntheticChain of(List<List<String>> txsPerBlock) {
    SyntheticChain chain = new SyntheticChain();
    txsPerBlock.forEach(chain::append);
    return chain;
  }

  /** Blocks 0..count-1, block n holding txs "tx-n-0".."tx-n-(perBlock-1)". */
  static SyntheticChain ofCount(int count, int perBlock) {
    List<List<String>> txs = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      List<String> block = new ArrayList<>();
      for (int i = 0; i < perBlock; i++) {
        block.add("tx-" + n + "-" + i);
      }
      txs.add(block);
    }
    return of(txs);
  }

  SyntheticChain append(List<String> txIds) {
    long number = blocks.size();
    String prev = blocks.isEmpty() ? "" : blocks.get(number == 0 ? 0 : (int) number - 1).headerHash();
    blocks.add(block(number, prev, txIds));
    return this;
  }

  static BlockDigest block(long number, String previousHash, List<String> txIds) {
    String dataHash = sha256(String.join(",", txIds));
    String header = sha256(number + "|" + previousHash + "|" + dataHash);
    return new BlockDigest(number, header, previousHash, dataHash, dataHash, txIds);
  }

  List<BlockDigest> blocks() {
    return List.copyOf(blocks);
  }

  /** A copy with block {@code number} replaced by what {@code change} makes of it. */
  List<BlockDigest> with(long number, UnaryOperator<BlockDigest> change) {
    List<BlockDigest> copy = new ArrayList<>(blocks);
    copy.set((int) number, change.apply(copy.get((int) number)));
    return copy;
  }

  /** Same header, different transactions: what editing a ledger file's envelope bytes does. */
  static BlockDigest tamperData(BlockDigest b) {
    List<String> txs = new ArrayList<>(b.txIds());
    txs.set(0, "forged");
    return new BlockDigest(b.number(), b.headerHash(), b.previousHash(), b.dataHash(),
        sha256(String.join(",", txs)), txs);
  }

  /** A different but self-consistent block at the same height (a fork). */
  static BlockDigest fork(BlockDigest b) {
    List<String> txs = new ArrayList<>(b.txIds());
    txs.add("fork-tx");
    return block(b.number(), b.previousHash(), txs);
  }

  /** A chain that forks at {@code number} and continues hash-chained on the fork. */
  List<BlockDigest> forkedFrom(long number) {
    List<BlockDigest> copy = new ArrayList<>(blocks.subList(0, (int) number));
    copy.add(fork(blocks.get((int) number)));
    for (int n = (int) number + 1; n < blocks.size(); n++) {
      copy.add(block(n, copy.get(n - 1).headerHash(), blocks.get(n).txIds()));
    }
    return copy;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
