package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;

/**
 * Test-only reader of Fabric's block files (common/ledger/blkstorage): each entry is a varint
 * length followed by block_serialization.go's encoding — varint number, length-prefixed data
 * hash, length-prefixed previous hash, varint count + length-prefixed envelopes, varint count +
 * length-prefixed metadata entries.
 */
public final class FabricBlockFileReader {
  private FabricBlockFileReader() {}

  public static List<Block> read(byte[] file) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(file);
    List<Block> blocks = new ArrayList<>();
    while (!in.isAtEnd()) {
      byte[] entry = in.readByteArray();
      blocks.add(decode(CodedInputStream.newInstance(entry)));
    }
    return blocks;
  }

  private static Block decode(CodedInputStream in) throws IOException {
    long number = in.readUInt64();
    ByteString dataHash = in.readBytes();
    ByteString previousHash = in.readBytes();
    BlockData.Builder data = BlockData.newBuilder();
    long envelopes = in.readUInt64();
    for (long i = 0; i < envelopes; i++) {
      data.addData(in.readBytes());
    }
    BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
    long slots = in.readUInt64();
    for (long i = 0; i < slots; i++) {
      metadata.addMetadata(in.readBytes());
    }
    if (!in.isAtEnd()) {
      throw new IOException("block " + number + ": trailing bytes after the metadata");
    }
    return Block.newBuilder()
        .setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(previousHash).setDataHash(dataHash))
        .setData(data)
        .setMetadata(metadata)
        .build();
  }
}
