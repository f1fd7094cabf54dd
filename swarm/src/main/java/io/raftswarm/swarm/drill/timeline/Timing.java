package io.raftswarm.swarm.drill.timeline;

import io.raftswarm.swarm.drill.clock.FaultInstant;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One measured interval (or rate) of a drill, from a {@link FaultInstant} to an observation.
 * Both ends can be windows: the fault may only be known to lie in one, and an observation from
 * a {@code /status} poll happened somewhere between the request and its answer. The interval is
 * given as the least it can be ({@code value}: from the fault window's end to the request, so the
 * cluster gets no credit for time it did not have, but this may understate) and the most
 * ({@code upTo}: from the fault window's start to the answer's arrival).
 *
 * @param name what was measured, e.g. "election"
 * @param channel the channel it is about, or "" for all
 * @param value the interval from the fault (window's end) to the observation (request), or null when not
 *     observed (see {@code note})
 * @param upTo the interval from the fault window's start to the observation (answer); null when both are exact
 * @param rate a rate where that is the measure (blocks/s for catch-up), else NaN
 * @param from the label of the fault instant it is measured from, or "" when not from one
 * @param note how it was measured, or why it was not observed
 */
public record Timing(String name, String channel, Duration value, Duration upTo, double rate, String from,
    String note) {
  public Timing {
    Objects.requireNonNull(name, "name");
    channel = channel == null ? "" : channel;
    from = from == null ? "" : from;
    note = note == null ? "" : note;
    if (value == null) {
      upTo = null;
    }
  }

  public Timing(String name, String channel, Duration value, double rate, String note) {
    this(name, channel, value, null, rate, "", note);
  }

  public static Timing of(String name, String channel, Duration value, String note) {
    return new Timing(name, channel, value, Double.NaN, note);
  }

  public static Timing notObserved(String name, String channel, String why) {
    return new Timing(name, channel, null, Double.NaN, why);
  }

  public static Timing notObserved(String name, String channel, FaultInstant from, String why) {
    return new Timing(name, channel, null, null, Double.NaN, from.label(), why);
  }

  /**
   * From {@code from} to {@code observed}. An observation inside the fault window (possible
   * only when the window is wide, e.g. a command's span) counts as 0 from its end.
   */
  public static Timing since(String name, String channel, FaultInstant from, Instant observed, String note) {
    return seen(name, channel, from, observed, observed, note);
  }

  /**
   * From {@code from} to an observation made somewhere between {@code asked} and {@code answered}
   * (a {@code /status} poll: the orderer read its state after the request went out and before its
   * answer arrived).
   */
  public static Timing seen(String name, String channel, FaultInstant from, Instant asked, Instant answered, String note) {
    Duration fromEnd = Duration.between(from.latest(), asked);
    Duration fromStart = Duration.between(from.earliest(), answered);
    if (fromEnd.isNegative()) {
      fromEnd = Duration.ZERO;
      note = note + (note.isEmpty() ? "" : "; ") + "seen inside the fault window";
    }
    boolean exact = !from.isWindow() && asked.equals(answered);
    return new Timing(name, channel, fromEnd, exact ? null : max(fromStart, fromEnd), Double.NaN, from.label(), note);
  }

  public Timing withRate(double blocksPerSecond) {
    return new Timing(name, channel, value, upTo, blocksPerSecond, from, note);
  }

  public Timing named(String newName) {
    return new Timing(newName, channel, value, upTo, rate, from, note);
  }

  public boolean observed() {
    return value != null;
  }

  /** True when the value is a range (the fault instant was a window). */
  public boolean isRange() {
    return upTo != null && !upTo.equals(value);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
