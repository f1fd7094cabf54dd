package io.raftswarm.swarm.drill.verdict;

import java.util.List;
import java.util.Objects;

/**
 * What the verdict needs to know about one block as one node holds it. Hashes are lower-case
 * hex. {@code headerHash} and {@code computedDataHash} are computed by the collector from the
 * block's bytes (never taken on trust from the node); {@code previousHash} and
 * {@code dataHash} are the values written in the block header.
 *
 * @param number block number
 * @param headerHash SHA-256 of the header's ASN.1 encoding ({@code BlockHashing.headerHash})
 * @param previousHash header field previous_hash
 * @param dataHash header field data_hash
 * @param computedDataHash hash of the block's data as it is now ({@code BlockHashing.dataHash})
 * @param txIds the channel-header tx ids of the block's envelopes, in order (empty when an
 *     envelope cannot be parsed)
 */
public record BlockDigest(
    long number,
    String headerHash,
    String previousHash,
    String dataHash,
    String computedDataHash,
    List<String> txIds) {

  public BlockDigest {
    if (number < 0) {
      throw new IllegalArgumentException("block number must be >= 0, got " + number);
    }
    Objects.requireNonNull(headerHash, "headerHash");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(dataHash, "dataHash");
    Objects.requireNonNull(computedDataHash, "computedDataHash");
    txIds = List.copyOf(txIds);
  }

  /** True when the block's data still hashes to what its header says. */
  public boolean dataIntact() {
    return dataHash.equals(computedDataHash);
  }
}
