package io.raftswarm.swarm.drill.timeline;

import java.time.Duration;
import java.util.Objects;

/**
 * One measured interval (or rate) of a drill.
 *
 * @param name what was measured, e.g. "election"
 * @param channel the channel it is about, or "" for all
 * @param value the interval, or null when it was not observed (see {@code note})
 * @param rate a rate where that is the measure (blocks/s for catch-up), else NaN
 * @param note how it was measured, or why it was not observed
 */
public record Timing(String name, String channel, Duration value, double rate, String note) {
  public Timing {
    Objects.requireNonNull(name, "name");
    channel = channel == null ? "" : channel;
    note = note == null ? "" : note;
  }

  public static Timing of(String name, String channel, Duration value, String note) {
    return new Timing(name, channel, value, Double.NaN, note);
  }

  public static Timing notObserved(String name, String channel, String why) {
    return new Timing(name, channel, null, Double.NaN, why);
  }

  public boolean observed() {
    return value != null;
  }
}
