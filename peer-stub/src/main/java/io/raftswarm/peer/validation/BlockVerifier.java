package io.raftswarm.peer.validation;

import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.VerifiedCreator;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Checks a block an orderer delivered before anything in it is trusted: it is the next block,
 * it chains to the previous block's header hash, its data hash matches its envelopes, and it
 * carries a valid signature of an identity of an orderer org of the channel. Stateless.
 */
public final class BlockVerifier {
  private final String channelId;
  private final MspRegistry msps;
  private final Set<String> ordererMspIds;

  public BlockVerifier(ChannelConfig config) {
    this.channelId = config.channelId();
    this.msps = config.msps();
    this.ordererMspIds = config.ordererOrgs().stream().map(OrgMsp::mspId).collect(Collectors.toUnmodifiableSet());
  }

  /** @throws InvalidBlockException saying which check failed */
  public void verify(Block block, long expectedNumber, byte[] previousHeaderHash) {
    long number = block.getHeader().getNumber();
    if (number != expectedNumber) {
      throw new InvalidBlockException(channelId + ": expected block " + expectedNumber + " but got block " + number);
    }
    byte[] previous = block.getHeader().getPreviousHash().toByteArray();
    if (!Arrays.equals(previous, previousHeaderHash)) {
      throw new InvalidBlockException(channelId + ": block " + number + " does not chain: previous_hash "
          + hex(previous) + " but block " + (number - 1) + " hashes to " + hex(previousHeaderHash));
    }
    if (!BlockHashing.dataHashMatches(block)) {
      throw new InvalidBlockException(channelId + ": block " + number + " data_hash does not match its transactions");
    }
    Optional<VerifiedCreator> signer = Blocks.verifySignature(block, msps);
    if (signer.isEmpty()) {
      throw new InvalidBlockException(channelId + ": block " + number + " carries no valid orderer signature");
    }
    if (!ordererMspIds.contains(signer.get().mspId())) {
      throw new InvalidBlockException(channelId + ": block " + number + " is signed by " + signer.get().mspId()
          + ", which is not an orderer org of the channel " + ordererMspIds);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A delivered block failed verification; the puller drops it and switches orderer. */
  public static final class InvalidBlockException extends RuntimeException {
    public InvalidBlockException(String message) {
      super(message);
    }
  }
}
