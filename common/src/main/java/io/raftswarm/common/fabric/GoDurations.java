package io.raftswarm.common.fabric;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Go {@code time.Duration} strings ("500ms", "2s", "1h30m", "1.5s"), which Fabric's config uses
 * for BatchTimeout and etcdraft's tick_interval: {@link #parse} accepts what Go's
 * {@code time.ParseDuration} accepts, {@link #format} writes what Go's {@code Duration.String()}
 * writes.
 */
public final class GoDurations {
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L, // micro sign
      "\u03bcs", 1_000L, // Greek mu
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private GoDurations() {}

  /**
   * Parses a Go duration string.
   *
   * @throws IllegalArgumentException naming the string when it is not a Go duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty Go duration; write e.g. \"500ms\" or \"2s\"");
    }
    String s = text;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigInteger totalNanos = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(numberStart, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
      if (unit == null) {
        throw new IllegalArgumentException("Go duration \"" + text + "\" has "
            + (unitStart == i ? "a number without unit" : "unknown unit \"" + s.substring(unitStart, i) + "\"")
            + "; units are ns, us, ms, s, m, h");
      }
      BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number);
      totalNanos = totalNanos.add(value.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.DOWN).toBigIntegerExact());
    }
    if (totalNanos.bitLength() > 63) {
      throw new IllegalArgumentException("Go duration \"" + text + "\" overflows (more than ~292 years)");
    }
    long nanos = totalNanos.longValueExact();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /** Formats like Go's {@code Duration.String()}: "0s", "500ms", "1.5µs", "2s", "1m30s", "1h0m0s". */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    BigInteger magnitude = BigInteger.valueOf(nanos).abs();
    if (magnitude.compareTo(BigInteger.valueOf(1_000_000_000L)) < 0) {
      long n = magnitude.longValueExact();
      if (n < 1_000L) {
        return sign + n + "ns";
      }
      if (n < 1_000_000L) {
        return sign + decimal(n, 1_000L) + "\u00b5s";
      }
      return sign + decimal(n, 1_000_000L) + "ms";
    }
    long n = magnitude.longValueExact();
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    long secondsNanos = n % 60_000_000_000L;
    StringBuilder out = new StringBuilder(sign);
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    return out.append(decimal(secondsNanos, 1_000_000_000L)).append('s').toString();
  }

  private static String decimal(long value, long unit) {
    return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("\"" + text + "\" is not a Go duration; write e.g. \"500ms\", \"2s\" or \"1m30s\"");
  }
}
