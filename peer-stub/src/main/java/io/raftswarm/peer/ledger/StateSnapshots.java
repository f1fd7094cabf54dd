package io.raftswarm.peer.ledger;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Checkpoints of a {@link WorldState} in one file: written to a temp file, fsynced, then
 * atomically renamed, so a crash leaves either the old or the new checkpoint. A checkpoint is
 * only a shortcut: the ledger is the truth and the blocks after the checkpoint's height are
 * replayed at start. A damaged checkpoint reads as absent (full rebuild from the ledger).
 */
public final class StateSnapshots {
  private static final int MAGIC = 0x52535354; // "RSST"

  private StateSnapshots() {}

  public static void write(Path file, WorldState state) throws IOException {
    WorldState.Export export = state.export();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 crc = new CRC32();
    try (OutputStream raw = Files.newOutputStream(tmp);
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw), crc))) {
      out.writeInt(MAGIC);
      out.writeLong(export.height());
      int count = export.entries().values().stream().mapToInt(NavigableMap::size).sum();
      out.writeInt(count);
      for (var ns : export.entries().entrySet()) {
        for (var e : ns.getValue().entrySet()) {
          out.writeUTF(ns.getKey());
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue().value().length);
          out.write(e.getValue().value());
          out.writeLong(e.getValue().version().blockNum());
          out.writeLong(e.getValue().version().txNum());
        }
      }
      out.flush();
      new DataOutputStream(raw).writeLong(crc.getValue());
    }
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The checkpointed state, or empty when the file is missing or damaged. */
  public static Optional<WorldState> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readInt() != MAGIC) {
        return Optional.empty();
      }
      long height = in.readLong();
      int count = in.readInt();
      NavigableMap<String, NavigableMap<String, VersionedValue>> entries = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        String ns = in.readUTF();
        String key = in.readUTF();
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        Version version = new Version(in.readLong(), in.readLong());
        entries.computeIfAbsent(ns, k -> new TreeMap<>()).put(key, new VersionedValue(value, version));
      }
      long expected = crc.getValue();
      if (new DataInputStream(raw).readLong() != expected) {
        return Optional.empty();
      }
      return Optional.of(new WorldState(height, entries));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
