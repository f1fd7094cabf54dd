package io.raftswarm.swarm.drill.report;

import io.raftswarm.swarm.drill.clock.FaultInstant;
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

  /** "412 ms", or "412–416 ms" when the fault instant was a window (from its end – from its start). */
  static String value(Timing t) {
    String v = !t.observed() ? "not observed" : t.isRange() ? range(t.value(), t.upTo()) : duration(t.value());
    if (!Double.isNaN(t.rate())) {
      v += String.format(Locale.ROOT, ", %.1f blocks/s", t.rate());
    }
    return v;
  }

  static String range(Duration from, Duration to) {
    if (to.toMillis() < 10_000) {
      return from.toMillis() + "–" + to.toMillis() + " ms";
    }
    return String.format(Locale.ROOT, "%.2f–%.2f s", from.toMillis() / 1000.0, to.toMillis() / 1000.0);
  }

  /** Where a fault instant lies: "11:35:29.934" or "11:35:29.930 … 11:35:29.934 (window 4.2 ms)". */
  static String when(FaultInstant f, ZoneId zone) {
    if (!f.isWindow()) {
      return clock(f.reference(), zone);
    }
    return clock(f.earliest(), zone) + " … " + clock(f.latest(), zone)
        + String.format(Locale.ROOT, " (window %.1f ms)", f.width().toNanos() / 1e6);
  }

  static String ms(double v) {
    return String.format(Locale.ROOT, "%.1f ms", v);
  }
}
