package io.raftswarm.orderer.raft;

import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch too large for one Raft entry travels as consecutive entries, its fragments. Ratis sizes
 * its log write buffer for the largest entry and allocates it up front, zeroed (≈ 100 MB per
 * channel resident with Fabric's AbsoluteMaxBytes of 99 MB if one entry were one block); with
 * fragments the largest entry is {@link RaftSettings#ENTRY_BYTES} whatever the block size.
 *
 * <p>Format: a marker byte that never starts a {@code common.BlockData} entry (whose first byte is
 * the tag 0x0A, or which is empty), the fragment's index and the fragment count (big-endian ints),
 * then the chunk. The leader proposes the fragments of one batch back to back; {@link
 * FragmentAssembly} joins them on every orderer.
 */
public final class EntryFragments {
  static final byte MARKER = (byte) 0xFF;
  private static final int HEADER_BYTES = 1 + 4 + 4;

  /** One fragment of a batch: {@code index} of {@code count}. */
  public record Fragment(int index, int count, ByteString chunk) {
    public boolean last() {
      return index == count - 1;
    }
  }

  private EntryFragments() {}

  /** The entries that carry {@code batch}: the batch itself when it fits, else its fragments in order. */
  public static List<ByteString> split(ByteString batch, int chunkBytes) {
    if (batch.size() <= chunkBytes) {
      return List.of(batch);
    }
    int count = (batch.size() + chunkBytes - 1) / chunkBytes;
    List<ByteString> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ByteString header = ByteString.copyFrom(ByteBuffer.allocate(HEADER_BYTES).put(MARKER).putInt(i).putInt(count).flip());
      entries.add(header.concat(batch.substring(i * chunkBytes, Math.min(batch.size(), (i + 1) * chunkBytes))));
    }
    return entries;
  }

  /** Whether this entry carries a fragment rather than a whole batch. */
  public static boolean isFragment(ByteString entry) {
    return !entry.isEmpty() && entry.byteAt(0) == MARKER;
  }

  /** The fragment this entry carries, or empty when it carries a whole batch. */
  public static Optional<Fragment> parse(ByteString entry) {
    if (!isFragment(entry)) {
      return Optional.empty();
    }
    if (entry.size() < HEADER_BYTES) {
      throw new IllegalArgumentException("a fragment entry of " + entry.size() + " bytes is shorter than its header");
    }
    ByteBuffer header = entry.substring(1, HEADER_BYTES).asReadOnlyByteBuffer();
    int index = header.getInt();
    int count = header.getInt();
    if (count < 2 || index < 0 || index >= count) {
      throw new IllegalArgumentException("fragment " + index + " of " + count + " is not a valid position");
    }
    return Optional.of(new Fragment(index, count, entry.substring(HEADER_BYTES)));
  }
}
