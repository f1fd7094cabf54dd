package io.raftswarm.swarm.drill.report;

import io.raftswarm.swarm.drill.timeline.Timing;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting shared by the renderers. */
final class Format {
  private Format() {}

  static String clock(Instant t, ZoneId zone) {
    return DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone).format(t);
  }

  /** "412 ms" below 10 s, "12.3 s" above. */
  static String duration(Duration d) {
    if (d == null) {
      return "—";
    }
    long ms = d.toMillis();
    return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** "+12.345 s" from the drill's start. */
  static String offset(Instant start, Instant t) {
    return String.format(Locale.ROOT, "+%.3f s", Duration.between(start, t).toMillis() / 1000.0);
  }

  static String value(Timing t) {
    String v = t.observed() ? duration(t.value()) : "not observed";
    if (!Double.isNaN(t.rate())) {
      v += String.format(Locale.ROOT, ", %.1f blocks/s", t.rate());
    }
    return v;
  }

  static String ms(double v) {
    return String.format(Locale.ROOT, "%.1f ms", v);
  }
}
