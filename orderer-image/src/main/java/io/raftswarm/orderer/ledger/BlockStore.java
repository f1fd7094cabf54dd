package io.raftswarm.orderer.ledger;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.raftswarm.common.fabric.BlockHashing;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block ledger of one channel: an append-only file of length- and CRC-framed blocks
 * ({@code [int32 length][int32 crc32c][common.Block bytes]}) plus an in-memory index of offsets.
 *
 * <p>Threading: one writer at a time ({@link #append} is synchronized, called from the Raft
 * apply thread or the catch-up task, never both: Ratis pauses applying during catch-up); any
 * number of concurrent readers ({@link #block} uses positional reads).
 *
 * <p>Durability: when {@link #append} returns with {@code fsync}, the block survives kill -9.
 * Without fsync it survives a process crash but maybe not a power loss; call {@link #sync()}
 * before relying on it (the Raft snapshot does). At open, a torn or corrupt tail (a crash in
 * the middle of an append) is truncated; the Raft log replays what it held.
 *
 * <p>Continuity: {@link #append} refuses a block whose number is not the height or whose
 * previous hash is not the header hash of the last block, so the file is always one chain.
 */
public final class BlockStore implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger("fsblkstorage");
  private static final int FRAME_HEADER = 8;

  private final Path file;
  private final FileChannel channel;
  private final Object heightMonitor = new Object();
  private long[] offsets = new long[1024];
  private volatile long height;
  private long end;
  private volatile Block lastBlock;
  private volatile byte[] lastHeaderHash;

  private BlockStore(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (or creates) the ledger in {@code dir}, truncating a torn tail. */
  public static BlockStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("blockfile_000000");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    BlockStore store = new BlockStore(file, channel);
    store.scan();
    return store;
  }

  private void scan() throws IOException {
    long size = channel.size();
    long pos = 0;
    byte[] lastFrame = null;
    ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
    while (pos + FRAME_HEADER <= size) {
      header.clear();
      readFully(header, pos);
      header.flip();
      int length = header.getInt();
      int crc = header.getInt();
      if (length <= 0 || pos + FRAME_HEADER + length > size) {
        break;
      }
      byte[] bytes = new byte[length];
      readFully(ByteBuffer.wrap(bytes), pos + FRAME_HEADER);
      if (crc32c(bytes) != crc) {
        break;
      }
      BlockHeader blockHeader;
      try {
        blockHeader = header(bytes);
      } catch (IOException e) {
        break;
      }
      if (blockHeader.getNumber() != height
          || (height > 0 && !Arrays.equals(blockHeader.getPreviousHash().toByteArray(), lastHeaderHash))) {
        break;
      }
      index(pos, blockHeader);
      lastFrame = bytes;
      pos += FRAME_HEADER + length;
    }
    if (lastFrame != null) {
      lastBlock = Block.parseFrom(lastFrame);
    }
    end = pos;
    if (pos < size) {
      LOG.warn("Truncating torn tail of {}: {} bytes after block {} (an append was interrupted by a crash)",
          file, size - pos, height - 1);
      channel.truncate(pos);
      channel.force(true);
    }
    if (height > 0) {
      LOG.info("Opened block store {} at height {}", file, height);
    }
  }

  private void index(long pos, BlockHeader blockHeader) {
    if (height == offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
    }
    offsets[(int) height] = pos;
    lastHeaderHash = BlockHashing.headerHash(blockHeader);
    height++;
  }

  /**
   * Only the header of a stored block: opening a ledger checks the chain of headers (the frame's
   * CRC covers the rest), so the data of every block need not be parsed, only the last block's.
   */
  private static BlockHeader header(byte[] frame) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(frame);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == Block.HEADER_FIELD_NUMBER) {
        return BlockHeader.parseFrom(in.readBytes());
      }
      if (!in.skipField(tag)) {
        break;
      }
    }
    throw new InvalidProtocolBufferException("stored block has no header");
  }

  /**
   * Appends the next block.
   *
   * @throws IllegalArgumentException if the block does not continue the chain
   */
  public synchronized void append(Block block, boolean fsync) throws IOException {
    long number = block.getHeader().getNumber();
    if (number != height) {
      throw new IllegalArgumentException("block " + number + " does not follow the ledger height " + height + " of " + file);
    }
    if (height > 0 && !Arrays.equals(block.getHeader().getPreviousHash().toByteArray(), lastHeaderHash)) {
      throw new IllegalArgumentException("block " + number + " has previous hash "
          + HexFormat.of().formatHex(block.getHeader().getPreviousHash().toByteArray()) + " but block " + (height - 1)
          + " hashes to " + HexFormat.of().formatHex(lastHeaderHash));
    }
    byte[] bytes = block.toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + bytes.length);
    frame.putInt(bytes.length).putInt(crc32c(bytes)).put(bytes).flip();
    long pos = end;
    while (frame.hasRemaining()) {
      channel.write(frame, pos + frame.position());
    }
    if (fsync) {
      channel.force(false);
    }
    end = pos + FRAME_HEADER + bytes.length;
    lastBlock = block; // before index() raises the height: readers of the new height find this block
    index(pos, block.getHeader());
    synchronized (heightMonitor) {
      heightMonitor.notifyAll();
    }
  }

  /** Makes every appended block durable. */
  public void sync() throws IOException {
    channel.force(false);
  }

  /** Number of blocks (the next block number). */
  public long height() {
    return height;
  }

  /** The last block, or null when empty. */
  public Block lastBlock() {
    return lastBlock;
  }

  /** Header hash of the last block (empty array when the ledger is empty). */
  public byte[] lastHeaderHash() {
    byte[] h = lastHeaderHash;
    return h == null ? new byte[0] : h.clone();
  }

  /** Reads block {@code number} (must be below {@link #height()}). */
  public Block block(long number) {
    if (number < 0 || number >= height) {
      throw new IllegalArgumentException("block " + number + " is not in the ledger (height " + height + ")");
    }
    if (number == height - 1) {
      return lastBlock;
    }
    long pos = offsets[(int) number];
    try {
      ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
      readFully(header, pos);
      header.flip();
      byte[] bytes = new byte[header.getInt()];
      readFully(ByteBuffer.wrap(bytes), pos + FRAME_HEADER);
      return Block.parseFrom(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read block " + number + " from " + file, e);
    }
  }

  /**
   * Waits until the ledger holds more than {@code number} blocks or the timeout elapses.
   *
   * @return true when block {@code number} is available
   */
  public boolean awaitBlock(long number, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (heightMonitor) {
      while (height <= number) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        heightMonitor.wait(left);
      }
    }
    return true;
  }

  /** Wakes every waiter (used on shutdown). */
  public void wakeAll() {
    synchronized (heightMonitor) {
      heightMonitor.notifyAll();
    }
  }

  @Override
  public void close() throws IOException {
    wakeAll();
    channel.close();
  }

  private void readFully(ByteBuffer buffer, long pos) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, pos + buffer.position());
      if (n < 0) {
        throw new IOException("unexpected end of " + file + " at " + (pos + buffer.position()));
      }
    }
  }

  private static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }
}
