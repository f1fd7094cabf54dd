package io.raftswarm.orderer.ops;

/** Minimal JSON string escaping for the few flat documents the operations endpoint writes. */
public final class Json {
  private Json() {}

  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  public static String quote(String s) {
    return "\"" + escape(s) + "\"";
  }
}
