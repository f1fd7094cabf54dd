package io.raftswarm.swarm.inventory;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.error.UserText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads an inventory file as text, before any YAML parsing: the size is capped and the bytes
 * must be UTF-8. Both checks exist because an inventory is untrusted input: a 20 MB file once
 * took 65 s and 1.2 GB of heap before the parser refused it, and a Latin-1 file produced a bare
 * {@code MalformedInputException} at "line 1".
 */
final class InventoryText {
  /** Hundreds of times the size of a real inventory (the examples are 1-4 KiB). */
  static final int MAX_BYTES = 1 << 20;

  private static final char BOM = '\uFEFF';

  private InventoryText() {}

  /**
   * The file's text without a leading byte order mark. A file too large is a {@link UserError};
   * bytes that are not UTF-8 are an error in {@code problems} at their line and column.
   */
  static String read(Path file, String displayName, Problems problems) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw tooLarge(displayName, size);
      }
      try (InputStream in = Files.newInputStream(file)) {
        // read at most one byte more than allowed: the file may grow after Files.size
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
    } catch (IOException e) {
      throw new UserError("cannot read inventory " + UserText.escape(displayName) + ": "
          + UserText.escape(e.getMessage()) + "; check that the file is readable", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(displayName, bytes.length);
    }
    String text = decode(bytes, problems);
    return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
  }

  private static UserError tooLarge(String displayName, long size) {
    return new UserError(String.format(Locale.ROOT, "inventory %s is %.1f MiB (%d bytes); an"
        + " inventory may be at most 1 MiB (%d bytes), the examples are a few KiB. Check that"
        + " --inventory names the hosts.yml and not a log, image or archive",
        UserText.escape(displayName), size / (double) (1 << 20), size, MAX_BYTES));
  }

  /** Strict UTF-8; the first malformed sequence is reported with its line and column. */
  private static String decode(byte[] bytes, Problems problems) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      String before = new String(bytes, 0, offset, StandardCharsets.UTF_8);
      int lineStart = before.lastIndexOf('\n') + 1;
      int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
      int column = before.codePointCount(lineStart, before.length()) + 1;
      String bad = HexFormat.ofDelimiter(" ").withPrefix("0x").formatHex(bytes, offset,
          Math.min(bytes.length, offset + Math.max(1, result.length())));
      problems.error(line, "(encoding)", "byte " + bad + " at column " + column
          + " is not UTF-8 (the file is in another encoding, such as Latin-1 or UTF-16)",
          "UTF-8 text: save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 OLD > NEW`)");
      problems.throwIfAny();
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
