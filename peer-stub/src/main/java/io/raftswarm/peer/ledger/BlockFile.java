package io.raftswarm.peer.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A channel's blocks in one append-only file: each record is {@code length (4) | crc32 (4) |
 * block bytes}. {@link #append} returns only after fsync, so a returned block survives kill -9.
 * At open, a torn or corrupt tail (a crash mid-append) is cut off; blocks before it are kept.
 *
 * <p>Threading: appends are serialized by the caller (one committer per channel); reads may
 * run concurrently with appends.
 */
public final class BlockFile implements AutoCloseable {
  private static final int HEADER = 8;
  private final Path path;
  private final FileChannel channel;
  private final List<Long> offsets = new ArrayList<>();
  private volatile long end;

  private BlockFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  public static BlockFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    BlockFile file = new BlockFile(path, channel);
    file.scan();
    return file;
  }

  private void scan() throws IOException {
    long size = channel.size();
    long position = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (position + HEADER <= size) {
      header.clear();
      channel.read(header, position);
      header.flip();
      int length = header.getInt();
      int crc = header.getInt();
      if (length < 0 || position + HEADER + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      channel.read(body, position + HEADER);
      if (crc(body.array()) != crc) {
        break;
      }
      offsets.add(position);
      position += HEADER + length;
    }
    if (position < size) {
      channel.truncate(position);
      channel.force(true);
    }
    end = position;
  }

  /** Appends and fsyncs; the block's number must be {@link #height()}. */
  public synchronized void append(Block block) throws IOException {
    if (block.getHeader().getNumber() != offsets.size()) {
      throw new IllegalArgumentException("block file " + path + " holds " + offsets.size()
          + " blocks; cannot append block " + block.getHeader().getNumber());
    }
    byte[] bytes = block.toByteArray();
    ByteBuffer record = ByteBuffer.allocate(HEADER + bytes.length);
    record.putInt(bytes.length).putInt(crc(bytes)).put(bytes).flip();
    long position = end;
    while (record.hasRemaining()) {
      position += channel.write(record, position);
    }
    channel.force(false);
    synchronized (offsets) {
      offsets.add(end);
    }
    end = position;
  }

  public long height() {
    synchronized (offsets) {
      return offsets.size();
    }
  }

  public Block read(long number) {
    long offset;
    synchronized (offsets) {
      if (number < 0 || number >= offsets.size()) {
        throw new IllegalArgumentException("block " + number + " is not in " + path + " (height " + offsets.size() + ")");
      }
      offset = offsets.get((int) number);
    }
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      channel.read(header, offset);
      header.flip();
      ByteBuffer body = ByteBuffer.allocate(header.getInt());
      while (body.hasRemaining()) {
        if (channel.read(body, offset + HEADER + body.position()) < 0) {
          throw new IOException("unexpected end of " + path + " reading block " + number);
        }
      }
      return Block.parseFrom(body.array());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("block " + number + " in " + path + " is not a common.Block", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read block " + number + " from " + path, e);
    }
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
