package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Estimates a host's clock offset from a few {@link ClockReading}s, as NTP does but without
 * assuming symmetric legs: each reading confines the offset to [remote − received, remote −
 * sent]; all readings taken within seconds must agree, so the offset lies in the intersection
 * of their intervals. The estimate is the intersection's midpoint and the uncertainty its half
 * width — a bound, not a standard deviation. Pure.
 */
public final class ClockOffsets {
  private ClockOffsets() {}

  public static ClockOffset estimate(String host, List<ClockReading> readings, String source) {
    if (readings.isEmpty()) {
      return ClockOffset.unknown(host, "no clock reading from " + source);
    }
    Duration lo = readings.stream().map(ClockReading::minOffset).max(Comparator.naturalOrder()).orElseThrow();
    Duration hi = readings.stream().map(ClockReading::maxOffset).min(Comparator.naturalOrder()).orElseThrow();
    String how;
    if (lo.compareTo(hi) > 0) {
      // The readings contradict each other: the clock was stepped or slewed between them. Trust
      // only the tightest reading, whose own interval is certainly right for its moment.
      ClockReading best = readings.stream().min(Comparator.comparing(ClockReading::roundTrip)).orElseThrow();
      lo = best.minOffset();
      hi = best.maxOffset();
      how = String.format(Locale.ROOT, "%s; the %d readings disagree (clock stepped?), the one with the "
          + "shortest round trip (%.3f ms) is used", source, readings.size(), best.roundTrip().toNanos() / 1e6);
    } else {
      Duration shortest = readings.stream().map(ClockReading::roundTrip).min(Comparator.naturalOrder()).orElseThrow();
      how = String.format(Locale.ROOT, "%d %s readings, shortest round trip %.3f ms", readings.size(),
          source, shortest.toNanos() / 1e6);
    }
    Duration half = hi.minus(lo).dividedBy(2);
    return new ClockOffset(host, true, lo.plus(half), half, how, readings);
  }
}
