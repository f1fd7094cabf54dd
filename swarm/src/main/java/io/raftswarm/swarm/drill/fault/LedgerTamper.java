package io.raftswarm.swarm.drill.fault;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;

/**
 * Deliberately corrupts one block in an orderer's ledger file, to prove that the safety
 * verdict notices (what a disk error or a malicious operator would do). Flips the last byte of
 * the block's first envelope — inside its signature, so the envelope still parses — leaving the
 * header alone, and rewrites the frame's CRC so the orderer keeps serving the block. The file
 * is modified in place (same length), so a running orderer serves the altered block on the next
 * Deliver. Frame layout: {@code [int32 length][int32 crc32c][common.Block bytes]}.
 *
 * <p>Only for drill tests: keep a copy of the file and put it back afterwards.
 */
public final class LedgerTamper {
  private LedgerTamper() {}

  /**
   * @return a description of what was changed
   * @throws IllegalArgumentException when the file has no such block or the block has no data
   */
  public static String flipByteInBlock(Path ledgerFile, long blockNumber) throws IOException {
    try (FileChannel ch = FileChannel.open(ledgerFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long pos = 0;
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(8);
      while (pos + 8 <= size) {
        header.clear();
        ch.read(header, pos);
        header.flip();
        int length = header.getInt();
        if (length <= 0 || pos + 8 + length > size) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        ch.read(body, pos + 8);
        Block block = Block.parseFrom(body.array());
        if (block.getHeader().getNumber() == blockNumber) {
          if (block.getData().getDataCount() == 0) {
            throw new IllegalArgumentException("block " + blockNumber + " in " + ledgerFile + " has no data to alter");
          }
          byte[] entry = block.getData().getData(0).toByteArray();
          entry[entry.length - 1] ^= 0x01;
          Block altered = block.toBuilder()
              .setData(BlockData.newBuilder(block.getData()).setData(0, ByteString.copyFrom(entry)))
              .build();
          byte[] bytes = altered.toByteArray();
          if (bytes.length != length) {
            throw new IllegalStateException("altered block " + blockNumber + " re-encodes to " + bytes.length
                + " bytes instead of " + length + "; refusing to shift the rest of the file");
          }
          CRC32C crc = new CRC32C();
          crc.update(bytes);
          ByteBuffer frame = ByteBuffer.allocate(8 + length);
          frame.putInt(length).putInt((int) crc.getValue()).put(bytes).flip();
          while (frame.hasRemaining()) {
            ch.write(frame, pos + frame.position());
          }
          ch.force(true);
          return "flipped the last byte of envelope 0 of block " + blockNumber + " in " + ledgerFile
              + " (frame at offset " + pos + ", " + length + " bytes; CRC rewritten)";
        }
        pos += 8 + length;
      }
    }
    throw new IllegalArgumentException("no block " + blockNumber + " in " + ledgerFile);
  }
}
