package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How one host's clock relates to the operator's: {@code remote = operator + offset}, the true
 * offset lying within {@code offset ± uncertainty}. Docker engine timestamps (event
 * {@code timeNano}, {@code State.FinishedAt}) and {@code date} on the host all come from that
 * host's system clock, so one offset serves them all.
 *
 * @param host the host whose clock this is ("operator" for the operator's own)
 * @param known false when the offset could not be measured; then remote times cannot be placed
 *     on the operator's clock and callers fall back to what they timed themselves
 * @param method how it was measured, for the report
 * @param readings the raw readings (kept for the JSON report)
 */
public record ClockOffset(String host, boolean known, Duration offset, Duration uncertainty,
    String method, List<ClockReading> readings) {

  public ClockOffset {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(uncertainty, "uncertainty");
    if (uncertainty.isNegative()) {
      throw new IllegalArgumentException("uncertainty must be >= 0, got " + uncertainty);
    }
    method = method == null ? "" : method;
    readings = List.copyOf(readings);
  }

  /** A clock that is the operator's own (in-process tests): no offset, no uncertainty. */
  public static ClockOffset same(String host, String why) {
    return new ClockOffset(host, true, Duration.ZERO, Duration.ZERO, why, List.of());
  }

  public static ClockOffset unknown(String host, String why) {
    return new ClockOffset(host, false, Duration.ZERO, Duration.ZERO, why, List.of());
  }

  /** Where {@code remote} (a time on this host's clock) lies on the operator's clock. */
  public Window toOperator(Instant remote) {
    if (!known) {
      throw new IllegalStateException("the clock offset of " + host + " is unknown (" + method + ")");
    }
    Instant mid = remote.minus(offset);
    return new Window(mid.minus(uncertainty), mid.plus(uncertainty));
  }

  /** The most likely operator-clock time of {@code remote} (the window's middle). */
  public Instant likelyOperatorTime(Instant remote) {
    return remote.minus(offset);
  }

  /** A time on the operator's clock expressed on this host's clock (its most likely value). */
  public Instant fromOperator(Instant operator) {
    return operator.plus(offset);
  }

  /** e.g. "host2 clock, offset +0.412 ms ± 1.203 ms (best of 5 /info readings)". */
  public String describe() {
    if (!known) {
      return host + " clock, offset unknown (" + method + ")";
    }
    if (offset.isZero() && uncertainty.isZero()) {
      return host + " clock = operator clock (" + method + ")";
    }
    return String.format(Locale.ROOT, "%s clock, offset %+.3f ms ± %.3f ms applied (%s)", host,
        offset.toNanos() / 1e6, uncertainty.toNanos() / 1e6, method);
  }
}
