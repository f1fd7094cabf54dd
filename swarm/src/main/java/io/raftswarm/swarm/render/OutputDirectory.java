package io.raftswarm.swarm.render;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.error.UserText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides whether render may replace its output directory, and keeps what other raftswarm
 * commands wrote there. Render swaps in a whole new directory, so everything in the old one
 * that it does not carry over is deleted: it only takes a directory that is missing, empty,
 * or marked as its own ({@link RenderMarker}) and holding nothing unexpected.
 */
final class OutputDirectory {
  /** What render writes at the top of its output. */
  static final Set<String> RENDERED = Set.of(RenderMarker.FILE, NetworkRenderer.PROFILE_FILE,
      NetworkRenderer.CRYPTO_DIR, NetworkRenderer.ARTIFACTS_DIR, NetworkRenderer.HOSTS_DIR);
  /**
   * What provision ({@code provision-report.json}), the drills ({@code drills/}) and an
   * unfinished {@code rotate-certs} ({@code rotate-certs/}: renewed material and its journal)
   * write next to a render: moved into each new render, so re-provisioning keeps them.
   */
  static final Set<String> KEPT = Set.of("provision-report.json", "drills", "rotate-certs");

  private static final int NAMES_SHOWN = 5;

  private OutputDirectory() {}

  /** Refuses an {@code --out} that cannot become a directory because a parent is a file. */
  static void checkParents(Path out) {
    for (Path p = out.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new UserError("--out " + UserText.escape(out) + " cannot be created: "
              + UserText.escape(p) + " is a file, not a directory; choose an --out whose parents"
              + " are directories (or move that file away)");
        }
        return;
      }
    }
  }

  /** Refuses an {@code out} render cannot prove it owns; nothing is changed either way. */
  static void checkReplaceable(Path out) throws IOException {
    if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    String shown = UserText.escape(out);
    if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
      throw new UserError("--out " + shown + " is " + (Files.isSymbolicLink(out)
          ? "a symbolic link; pass the directory it points to" : "a file; choose a directory"
          + " (it is created)"));
    }
    List<String> names = names(out);
    if (names.isEmpty()) {
      return;
    }
    Optional<Integer> format = RenderMarker.format(out);
    if (format.isEmpty()) {
      throw new UserError("--out " + shown + " is not empty (" + sample(names) + ") and was not"
          + " written by raftswarm render (it has no " + RenderMarker.FILE + " file); render"
          + " replaces its output directory as a whole, so it refuses to. Choose a new or empty"
          + " directory. If it is the output of a raftswarm older than the marker and holds"
          + " nothing else, mark it to keep its crypto material: echo 'raftswarm-render "
          + RenderMarker.FORMAT + "' > " + shown + "/" + RenderMarker.FILE);
    }
    if (format.get() != RenderMarker.FORMAT) {
      throw new UserError("--out " + shown + " was written by a raftswarm with render format "
          + format.get() + " (this one writes format " + RenderMarker.FORMAT + "); use that"
          + " raftswarm, or choose a new directory");
    }
    List<String> foreign = names.stream()
        .filter(n -> !RENDERED.contains(n) && !KEPT.contains(n)).toList();
    if (!foreign.isEmpty()) {
      throw new UserError("--out " + shown + " holds files raftswarm did not write ("
          + sample(foreign) + "); render replaces the directory and would delete them. Move"
          + " them elsewhere, or choose another --out");
    }
  }

  /** Moves the {@link #KEPT} entries of {@code from} into {@code to} where {@code to} lacks them. */
  static void carryOver(Path from, Path to) throws IOException {
    for (String name : KEPT) {
      Path source = from.resolve(name);
      if (Files.exists(source, LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(to.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        Files.move(source, to.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static String sample(List<String> names) {
    String shown = String.join(", ", names.stream().limit(NAMES_SHOWN)
        .map(UserText::escape).toList());
    return names.size() > NAMES_SHOWN ? shown + " and " + (names.size() - NAMES_SHOWN) + " more"
        : shown;
  }
}
