package io.raftswarm.orderer.raft;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The whole content of a Raft snapshot of a channel: the ledger is the state, so a snapshot only
 * records how far the (already fsynced) ledger reaches and at which Raft position. Written to a
 * temporary file and moved atomically into place.
 */
record SnapshotMarker(long height, byte[] lastHash, long appliedTerm, long appliedIndex) {

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("height", Long.toString(height));
    p.setProperty("lastHash", HexFormat.of().formatHex(lastHash));
    p.setProperty("appliedTerm", Long.toString(appliedTerm));
    p.setProperty("appliedIndex", Long.toString(appliedIndex));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "raftswarm orderer snapshot marker: the ledger holds the blocks");
    }
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static SnapshotMarker read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    try {
      return new SnapshotMarker(
          Long.parseLong(p.getProperty("height")),
          HexFormat.of().parseHex(p.getProperty("lastHash")),
          Long.parseLong(p.getProperty("appliedTerm")),
          Long.parseLong(p.getProperty("appliedIndex")));
    } catch (RuntimeException e) {
      throw new IOException("snapshot marker " + file + " is corrupt: " + e.getMessage(), e);
    }
  }
}
