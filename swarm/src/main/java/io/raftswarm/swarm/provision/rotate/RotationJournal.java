package io.raftswarm.swarm.provision.rotate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.raftswarm.swarm.error.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <network>/rotate-certs/journal.json}: which nodes a rotation is renewing and which are
 * done, written when the first node is about to change and after each node, removed when all
 * are (a run refused before anything changed leaves none). A re-run of the same command after an
 * interruption continues with the nodes not done; another command is refused while one is
 * unfinished (the node in the middle may have its new certificate in the channel config already).
 */
final class RotationJournal {
  static final String FILE = "journal.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The file's content. */
  record Entry(String started, List<String> nodes, List<String> done) {
    Entry {
      nodes = List.copyOf(nodes);
      done = List.copyOf(done);
    }
  }

  private final Path file;
  private Entry entry;

  private RotationJournal(Path file, Entry entry) {
    this.file = file;
    this.entry = entry;
  }

  /**
   * The journal for rotating {@code nodes}: the unfinished one of the same nodes, or a new one;
   * refuses when an unfinished rotation of other nodes is recorded.
   */
  static RotationJournal open(Path workDir, List<String> nodes, Instant now) {
    Path file = workDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      Entry existing = read(file);
      if (!existing.nodes().equals(nodes)) {
        throw new UserError("an unfinished rotate-certs of " + existing.nodes() + " (started " + existing.started() + ", done: "
            + existing.done() + ") is recorded in " + file + "; run it again with the same nodes to finish it, or delete"
            + " that file to start over (a node in the middle keeps its material in " + workDir + "/<node>/)");
      }
      return new RotationJournal(file, existing);
    }
    return new RotationJournal(file, new Entry(now.toString(), nodes, List.of()));
  }

  /** Records the rotation before its first change (a no-op once recorded). */
  void begin() {
    if (!Files.isRegularFile(file)) {
      write();
    }
  }

  Entry entry() {
    return entry;
  }

  boolean isDone(String node) {
    return entry.done().contains(node);
  }

  void done(String node) {
    if (isDone(node)) {
      return;
    }
    List<String> done = new ArrayList<>(entry.done());
    done.add(node);
    entry = new Entry(entry.started(), entry.nodes(), done);
    if (done.containsAll(entry.nodes())) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + file, e);
      }
    } else {
      write();
    }
  }

  private void write() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".journal", ".json");
      JSON.writeValue(tmp.toFile(), entry);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Entry read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Entry.class);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " (" + e.getMessage() + "); delete it to start over", e);
    }
  }
}
