package io.raftswarm.swarm.drill.collect;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.swarm.drill.verdict.BlockDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;

/** Reduces a Fabric block to what the verdict compares, hashing it with Fabric's rules. */
public final class BlockDigests {
  private static final HexFormat HEX = HexFormat.of();

  private BlockDigests() {}

  public static BlockDigest of(Block block) {
    List<String> txIds = new ArrayList<>();
    for (ByteString entry : block.getData().getDataList()) {
      try {
        txIds.add(Envelopes.parse(Envelope.parseFrom(entry)).txId());
      } catch (InvalidProtocolBufferException e) {
        // an unparseable envelope has no tx id; the data hash still covers its bytes
        txIds.add("unparseable:" + HEX.formatHex(BlockHashingShim.sha256(entry)).substring(0, 16));
      }
    }
    return new BlockDigest(
        block.getHeader().getNumber(),
        HEX.formatHex(BlockHashing.headerHash(block.getHeader())),
        HEX.formatHex(block.getHeader().getPreviousHash().toByteArray()),
        HEX.formatHex(block.getHeader().getDataHash().toByteArray()),
        HEX.formatHex(BlockHashing.dataHash(block.getData())),
        txIds);
  }

  /** SHA-256 of one entry, to name an unparseable envelope stably. */
  private static final class BlockHashingShim {
    static byte[] sha256(ByteString bytes) {
      try {
        return java.security.MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JVM has no SHA-256", e);
      }
    }
  }
}
