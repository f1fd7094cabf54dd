package io.raftswarm.swarm.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file {@code .raftswarm-render} that proves a directory was written by a render. Render
 * replaces its output directory as a whole, so it must never take a directory that merely
 * looks like an earlier render (a {@code network.json} anyone could have written) for one. The
 * first line names the format, so a later raftswarm can change the layout and still recognise
 * what an older one wrote.
 */
final class RenderMarker {
  static final String FILE = ".raftswarm-render";
  static final int FORMAT = 1;

  private static final Pattern FIRST_LINE = Pattern.compile("raftswarm-render (\\d{1,9})");
  private static final String TEXT = "raftswarm-render " + FORMAT + "\n"
      + "# Written by `raftswarm render` (and provision): this directory is render output, and\n"
      + "# the next render replaces it. Keep files of your own elsewhere; render refuses a\n"
      + "# directory holding files it did not write.\n";

  private RenderMarker() {}

  static void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(FILE), TEXT, StandardCharsets.UTF_8);
  }

  /**
   * The format of the marker in {@code dir}; empty when there is none, it is not a regular file
   * (a symlink does not count: anyone can point one anywhere), or its first line is not ours.
   */
  static Optional<Integer> format(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 4096) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    Matcher m = FIRST_LINE.matcher(lines.isEmpty() ? "" : lines.get(0));
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }
}
