package io.raftswarm.swarm.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden directory {@code .<out>.rendering-<pid>-<n>} next to OUT that a render writes
 * into before swapping it in. It holds private keys, so:
 * <ul>
 *   <li>it is created 0700 (owner only), like the OUT it becomes;</li>
 *   <li>a shutdown hook removes it when the render is stopped by SIGINT or SIGTERM;</li>
 *   <li>after SIGKILL nothing can run, so every render first removes the stale staging
 *       directories next to its OUT ({@link #removeStale}): recognised by their name, which
 *       carries the pid of the render that made them, and by the {@link RenderMarker} written
 *       into them first; one whose render is still running is left alone.</li>
 * </ul>
 *
 * <p>Threading: the render thread creates and uses an instance; the shutdown hook runs
 * concurrently with it while the JVM exits, and the render thread keeps writing meanwhile (it
 * is mostly generating keys and cannot be stopped). So the hook first moves the directory
 * away and puts an empty file in its place: the render's next write under the old name fails
 * instead of re-creating the tree, and the moved tree is deleted with nobody writing into it.
 * {@link #disarm()} decides, under a lock, whether the render may swap the directory in or was
 * cancelled by the hook first. The render thread reports "render stopped by a signal" only if
 * it gets that far before the JVM halts.
 */
final class StagingDir implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagingDir.class);
  /** Staging names, and the names the shutdown hook moves them to while deleting them. */
  private static final Pattern NAME =
      Pattern.compile("\\..+\\.rendering-(\\d+)-\\d+(\\.deleting-\\d+)?");
  /** How long the hook waits for the stopped render to give up its directory. */
  private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);
  private static final int MOVE_ATTEMPTS = 10;

  private final Path path;
  private final Thread hook;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object lock = new Object();
  private boolean armed = true;
  private boolean cancelled;

  private StagingDir(Path path) {
    this.path = path;
    this.hook = new Thread(this::cancelOnShutdown, "raftswarm-render-cleanup");
  }

  /**
   * Creates the staging directory for {@code out} (0700) and arms the shutdown hook. The
   * {@link RenderMarker} is written first, so the directory is recognisable from the start;
   * it stays and becomes OUT's marker.
   */
  static StagingDir create(Path out) throws IOException {
    String prefix = stem(out) + ".rendering-" + ProcessHandle.current().pid() + "-";
    Path dir = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? Files.createTempDirectory(out.getParent(), prefix, ownerOnly())
        : Files.createTempDirectory(out.getParent(), prefix);
    StagingDir staging = new StagingDir(dir);
    Runtime.getRuntime().addShutdownHook(staging.hook);
    try {
      RenderMarker.write(dir);
    } catch (IOException | RuntimeException e) {
      staging.close();
      throw e;
    }
    return staging;
  }

  Path path() {
    return path;
  }

  /**
   * From here on the shutdown hook leaves the directory alone: call it before the directory is
   * moved into place, so the hook never takes a half-moved OUT apart. If the process dies after
   * this, the next render removes what is left.
   *
   * @throws CancellationException when the shutdown hook cancelled the render first
   */
  void disarm() {
    synchronized (lock) {
      if (cancelled) {
        throw new CancellationException("render stopped by a signal");
      }
      armed = false;
    }
  }

  /** Whether a signal stopped the render (its exceptions are then a consequence of that). */
  boolean cancelled() {
    synchronized (lock) {
      return cancelled;
    }
  }

  /** Unregisters the hook and deletes the directory if it is still there (a failed render). */
  @Override
  public void close() {
    synchronized (lock) {
      armed = false;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run; nothing to unregister
    }
    try {
      deleteTree(path);
    } finally {
      closed.countDown();
    }
  }

  private void cancelOnShutdown() {
    synchronized (lock) {
      if (!armed) {
        return;
      }
      cancelled = true;
    }
    List<Path> moved = moveAwayFromWriter();
    moved.forEach(StagingDir::deleteMarkerLast);
    try {
      // The placeholder stops the render thread; once it has given up (close), it can go too.
      // Otherwise it stays, an empty file, and the next render removes it.
      if (closed.await(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // left for the next render
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Moves the tree out of the render thread's reach; returns where it went. */
  private List<Path> moveAwayFromWriter() {
    List<Path> moved = new ArrayList<>();
    try {
      for (int i = 0; i < MOVE_ATTEMPTS; i++) {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Path away = path.resolveSibling(path.getFileName() + ".deleting-" + i);
          Files.move(path, away, StandardCopyOption.ATOMIC_MOVE);
          moved.add(away);
        }
        try {
          Files.createFile(path);
          break;
        } catch (FileAlreadyExistsException recreated) {
          // the render re-created the directory between the move and here: move it too
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot remove {} while stopping: {}", path, e.toString());
    }
    return moved;
  }

  /**
   * Removes stale staging directories in {@code out}'s parent, of any OUT there: marked as a
   * render's, and made by a process that is no longer running (also the empty placeholder
   * files a stopped render may leave). Returns what it removed.
   */
  static List<Path> removeStale(Path out) throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> candidates = Files.newDirectoryStream(out.getParent(),
        ".*.rendering-*")) {
      for (Path p : candidates) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches() || running(m.group(1))) {
          continue;
        }
        boolean placeholder = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && Files.size(p) == 0;
        boolean ours = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            && RenderMarker.format(p).isPresent();
        if (placeholder || ours) {
          LOG.info("removing {}, left by a render that was stopped", p);
          deleteMarkerLast(p);
          removed.add(p);
        }
      }
    }
    return removed;
  }

  static String stem(Path out) {
    return "." + out.getFileName();
  }

  private static boolean running(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static FileAttribute<?> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  }

  /**
   * Deletes a staging tree with its marker last: if this is cut short (SIGKILL), what is left
   * is still recognisable, and the next render finishes the job.
   */
  private static void deleteMarkerLast(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      deleteTree(dir);
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> !p.getFileName().toString().equals(RenderMarker.FILE)).toList()
          .forEach(StagingDir::deleteTree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
    deleteTree(dir);
  }

  /** Deletes a tree (or a file); entries that vanish meanwhile are fine. */
  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
          if (exc instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw exc;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (exc != null && !(exc instanceof NoSuchFileException)) {
            throw exc;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // gone meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
