package io.raftswarm.orderer.ledger;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
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
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Durability: an appended block survives kill -9 of the process (it is in the kernel's page
 * cache) but maybe not a power loss until it is synced: with {@code fsync} on {@link #append}, or
 * by {@link #sync()} or {@link #syncAppended()} later (the orderer's Raft log covers the blocks not
 * yet synced, and its snapshot syncs first). At open, a torn or corrupt tail (a crash in
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
  /** offsets[n] is where block n's frame starts; offsets[height] is where the next one will. */
  private long[] offsets = new long[1024];
  private volatile long height;
  private long end;
  private volatile Block lastBlock;
  private volatile byte[] lastHeaderHash;
  /** The height the last fsync covered: every block below it is durable. */
  private final AtomicLong syncedHeight = new AtomicLong();

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
      index(pos, FRAME_HEADER + length, blockHeader);
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

  private void index(long pos, int frameLength, BlockHeader blockHeader) {
    index(new long[] {pos}, new int[] {frameLength}, 1, BlockHashing.headerHash(blockHeader));
  }

  /** Records {@code count} new frames and raises the height once, after everything else. */
  private void index(long[] positions, int[] frameLengths, int count, byte[] lastHash) {
    int next = (int) height;
    if (next + count + 1 > offsets.length) {
      offsets = Arrays.copyOf(offsets, Math.max(offsets.length * 2, next + count + 1));
    }
    for (int i = 0; i < count; i++) {
      offsets[next + i] = positions[i];
      offsets[next + i + 1] = positions[i] + frameLengths[i];
    }
    lastHeaderHash = lastHash;
    height = next + count;
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
    // Serialized straight behind the frame header: one copy of a block of up to AbsoluteMaxBytes, not two.
    int length = block.getSerializedSize();
    byte[] frameBytes = new byte[FRAME_HEADER + length];
    CodedOutputStream out = CodedOutputStream.newInstance(frameBytes, FRAME_HEADER, length);
    block.writeTo(out);
    out.checkNoSpaceLeft();
    ByteBuffer frame = ByteBuffer.wrap(frameBytes);
    frame.putInt(length).putInt(crc32c(frameBytes, FRAME_HEADER, length)).rewind();
    long pos = end;
    write(frame, pos);
    if (fsync) {
      channel.force(false);
    }
    end = pos + FRAME_HEADER + length;
    lastBlock = block; // before index() raises the height: readers of the new height find this block
    index(pos, FRAME_HEADER + length, block.getHeader());
    if (fsync) {
      syncedHeight.accumulateAndGet(height, Math::max);
    }
    wakeAll();
  }

  /**
   * Stored frames of consecutive blocks from {@code from}, as {@link #appendFrames} takes them:
   * one positional read, no parsing. Stops before {@code maxBytes} unless the first frame alone
   * is larger, and after block {@code to}.
   */
  public Frames readFrames(long from, long to, int maxBytes) {
    long h = height;
    if (from < 0 || from >= h || to < from) {
      throw new IllegalArgumentException("blocks [" + from + ".." + to + "] are not in the ledger (height " + h + ")");
    }
    long[] index = offsets; // read after the volatile height: holds every entry up to offsets[h]
    long start = index[(int) from];
    long last = from;
    long stop = Math.min(to, h - 1);
    while (last < stop && index[(int) last + 2] - start <= maxBytes) {
      last++;
    }
    long length = index[(int) last + 1] - start;
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("block [" + from + "] of " + file + " is larger than 2 GB");
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) length);
    try {
      readFully(bytes, start);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blocks [" + from + ".." + last + "] from " + file, e);
    }
    return new Frames(bytes.array(), (int) (last - from + 1));
  }

  /**
   * Appends blocks as another orderer's {@link #readFrames} returned them, in one write, after
   * checking every frame as {@link #open} does a stored one (its CRC, that it continues the
   * chain) and that its header's data hash matches its data.
   *
   * @throws IllegalArgumentException if a frame is torn or corrupt or does not continue the chain;
   *     the frames before it are appended
   */
  public synchronized void appendFrames(Frames frames) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(frames.bytes());
    long[] positions = new long[frames.count()];
    int[] lengths = new int[frames.count()];
    int count = 0;
    Block last = null;
    byte[] previousHash = lastHeaderHash;
    try {
      while (in.remaining() > 0) {
        long number = height + count;
        if (count == positions.length || in.remaining() < FRAME_HEADER) {
          throw new IllegalArgumentException("more bytes than the " + frames.count() + " frames announced, after block "
              + (number - 1));
        }
        int length = in.getInt();
        int crc = in.getInt();
        if (length <= 0 || length > in.remaining()) {
          throw new IllegalArgumentException("the frame of block " + number + " claims " + length + " bytes, "
              + in.remaining() + " follow");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        if (crc32c(bytes) != crc) {
          throw new IllegalArgumentException("the frame of block " + number + " fails its CRC");
        }
        Block block = Block.parseFrom(bytes);
        if (block.getHeader().getNumber() != number
            || (number > 0 && !Arrays.equals(block.getHeader().getPreviousHash().toByteArray(), previousHash))) {
          throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " does not continue the chain at"
              + " height " + number + " of " + file);
        }
        if (!BlockHashing.dataHashMatches(block)) {
          throw new IllegalArgumentException("the data hash in block " + number + "'s header does not match its data");
        }
        positions[count] = end + in.position() - FRAME_HEADER - length;
        lengths[count] = FRAME_HEADER + length;
        previousHash = BlockHashing.headerHash(block.getHeader());
        last = block;
        count++;
      }
    } finally {
      // What was checked is written even when a later frame was not: the caller retries from there.
      if (count > 0) {
        int checked = (int) (positions[count - 1] + lengths[count - 1] - end);
        write(ByteBuffer.wrap(frames.bytes(), 0, checked), end);
        end += checked;
        lastBlock = last;
        index(positions, lengths, count, previousHash);
        wakeAll();
      }
    }
  }

  /** Consecutive stored block frames ({@code [int32 length][int32 crc32c][common.Block bytes]}). */
  public record Frames(byte[] bytes, int count) {
    /**
     * Counts the frames in {@code bytes} by their lengths (what they hold is checked on append).
     *
     * @throws IllegalArgumentException if the last frame is torn
     */
    public static Frames of(byte[] bytes) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int count = 0;
      while (in.remaining() > 0) {
        int length = in.remaining() >= FRAME_HEADER ? in.getInt() : -1;
        if (length <= 0 || length > in.remaining() - 4) {
          throw new IllegalArgumentException("block frame " + count + " of " + bytes.length + " bytes is torn");
        }
        in.position(in.position() + 4 + length);
        count++;
      }
      return new Frames(bytes, count);
    }
  }

  private void write(ByteBuffer buffer, long pos) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer, pos + buffer.position());
    }
  }

  /** Makes every appended block durable. */
  public void sync() throws IOException {
    long covered = height; // appended (written and indexed) before the force starts
    channel.force(false);
    syncedHeight.accumulateAndGet(covered, Math::max);
  }

  /** Makes the blocks appended since the last sync durable; false (and no fsync) when there are none. */
  public boolean syncAppended() throws IOException {
    if (height <= syncedHeight.get()) {
      return false;
    }
    sync();
    return true;
  }

  /** The number of blocks known durable (synced); the rest survive a crash of the process but maybe not of the machine. */
  public long syncedHeight() {
    return syncedHeight.get();
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
    Block last = lastBlock; // an append may replace it any time: check its number, not the height
    if (last != null && last.getHeader().getNumber() == number) {
      return last;
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
    if (!channel.isOpen()) {
      return;
    }
    try {
      syncAppended();
    } finally {
      channel.close();
    }
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
    return crc32c(bytes, 0, bytes.length);
  }

  private static int crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
