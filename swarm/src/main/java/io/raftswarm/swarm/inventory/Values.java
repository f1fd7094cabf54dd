package io.raftswarm.swarm.inventory;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the value syntaxes an inventory uses. Each returns null for a value it rejects,
 * so the caller can report the field and line; the syntaxes follow Fabric's configtx.yaml.
 */
public final class Values {
  private Values() {}

  static final String DURATION_EXPECTED = "a duration like 500ms, 2s or 1m30s";
  public static final String SIZE_EXPECTED = "a size like 512 KB, 99 MB or a number of bytes";

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  /** Anything made of hex digits, ':' and '.' (with optional brackets and zone) that has a ':'. */
  private static final Pattern IPV6 = Pattern.compile("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*"
      + "(%[A-Za-z0-9_.-]+)?]?");
  private static final Pattern CIDR = Pattern.compile("(.+)/(\\d{1,3})");
  private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern ORG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
  private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
  private static final Pattern UNIX_USER = Pattern.compile("[a-z_][a-z0-9_.-]*\\$?");
  private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]*");
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

  /** Go-style duration ("500ms", "2s", "1m30s"), positive. */
  static Duration duration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      double amount = Double.parseDouble(m.group(1));
      long nanosPerUnit = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total = total.plusNanos(Math.round(amount * nanosPerUnit));
      end = m.end();
    }
    return end == text.length() && end > 0 && !total.isZero() ? total : null;
  }

  /** A byte size as configtx.yaml writes it ("99 MB" = 99 * 1024 * 1024), positive. */
  static Long bytes(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
      long factor = switch (unit) {
        case "KB", "KIB" -> 1L << 10;
        case "MB", "MIB" -> 1L << 20;
        case "GB", "GIB" -> 1L << 30;
        default -> 1L;
      };
      long value = Math.multiplyExact(n, factor);
      return value > 0 ? value : null;
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  /** A size that fits Fabric's uint32 fields as a Java int. */
  public static Integer intBytes(String text) {
    Long b = bytes(text);
    return b != null && b <= Integer.MAX_VALUE ? b.intValue() : null;
  }

  /** A DNS label: node and host names become container names and directory names. */
  static boolean isLabel(String s) {
    return LABEL.matcher(s).matches();
  }

  /** A lower-case DNS name such as example.com or org1.example.com. */
  static boolean isDomain(String s) {
    if (s.length() > 200 || s.isEmpty()) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!isLabel(label)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An IPv4 literal or a host name the operator machine resolves. IPv6 literals are not
   * addresses here (see {@link #isIpv6}): every endpoint is written {@code address:port}.
   */
  static boolean isAddress(String s) {
    return isIpv4(s) || (isDomain(s) && !s.substring(s.lastIndexOf('.') + 1).matches("\\d+"));
  }

  /** A dotted-quad IPv4 literal, each part 0-255. */
  public static boolean isIpv4(String s) {
    Matcher m = IPV4.matcher(s);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} is meant as an IPv6 literal ({@code fd00::11}, {@code [::1]},
   * {@code fe80::1%eth0}), valid or not: it is refused with a message saying why, rather than
   * as an invalid address.
   */
  static boolean isIpv6(String s) {
    // one colon is an IPv4 address or host name with a port (10.20.0.11:22), not IPv6
    return IPV6.matcher(s).matches() && (s.startsWith("[") || s.indexOf(':') != s.lastIndexOf(':'));
  }

  /** An IPv4 CIDR such as 10.20.0.0/16. */
  static boolean isIpv4Cidr(String s) {
    Matcher m = CIDR.matcher(s);
    return m.matches() && isIpv4(m.group(1)) && Integer.parseInt(m.group(2)) <= 32;
  }

  static boolean isChannelName(String s) {
    return io.raftswarm.common.fabric.ChannelConfig.isValidChannelId(s);
  }

  static boolean isMspId(String s) {
    return MSP_ID.matcher(s).matches();
  }

  static boolean isOrgName(String s) {
    return ORG_NAME.matcher(s).matches();
  }

  static boolean isNetworkName(String s) {
    return NETWORK_NAME.matcher(s).matches() && s.length() <= 64;
  }

  static boolean isFingerprint(String s) {
    return FINGERPRINT.matcher(s).matches();
  }

  static boolean isUnixUser(String s) {
    return UNIX_USER.matcher(s).matches() && s.length() <= 32;
  }

  static boolean isImage(String s) {
    return IMAGE.matcher(s).matches();
  }

  /** An absolute path that is safe inside a compose bind mount (no spaces, no colons). */
  static boolean isSafeAbsolutePath(String s) {
    return SAFE_PATH.matcher(s).matches() && !s.contains("/../") && !s.endsWith("/..");
  }
}
