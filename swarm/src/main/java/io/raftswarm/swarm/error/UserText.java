package io.raftswarm.swarm.error;

/**
 * Makes text from the operator (inventory values and keys, file paths) safe to print in an
 * error message. An inventory is untrusted input: a name holding a newline could forge a second,
 * fake error line, and an ANSI escape sequence could recolour or clear the terminal. Control
 * characters, invisible formatting characters (bidi overrides, zero-width characters), line
 * separators, unassigned and private-use code points and lone surrogates are written Java-style
 * ({@code \n}, {@code \t}, {@code \u001b}), so the message shows which characters the value
 * holds. Printable text, non-ASCII letters and emoji included, is left as it is.
 *
 * <p>A backslash is not doubled: messages are read by people, not parsed back, and paths or
 * patterns with backslashes stay readable.
 */
public final class UserText {
  private UserText() {}

  /** {@code text} with every non-printing character escaped; "null" for null. */
  public static String escape(Object text) {
    return escape(String.valueOf(text), false);
  }

  /**
   * Like {@link #escape(Object)} but keeps {@code '\n'}: for a whole message whose line breaks
   * are intended (several problems, one per line). The last line of defence before a message
   * reaches the terminal; user parts inside it should have been escaped with
   * {@link #escape(Object)} already, since a newline in them cannot be told apart here.
   */
  public static String escapeKeepingLines(String message) {
    return escape(message, true);
  }

  private static String escape(String text, boolean keepNewlines) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    boolean changed = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int length = Character.charCount(cp);
      if (keepNewlines && cp == '\n' || !invisible(cp)) {
        sb.appendCodePoint(cp);
      } else {
        changed = true;
        switch (cp) {
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            for (int k = i; k < i + length; k++) {
              sb.append(String.format("\\u%04x", (int) text.charAt(k)));
            }
          }
        }
      }
      i += length;
    }
    return changed ? sb.toString() : text;
  }

  private static boolean invisible(int cp) {
    int type = Character.getType(cp);
    return Character.isISOControl(cp)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE; // only a lone one: codePointAt joins valid pairs
  }
}
