package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A closed interval of the operator's clock known to contain an instant: what is left of a
 * remote timestamp after its clock offset (and that offset's uncertainty) is applied, or what
 * two probes bracket. A point when {@code earliest == latest}.
 */
public record Window(Instant earliest, Instant latest) {
  public Window {
    Objects.requireNonNull(earliest, "earliest");
    Objects.requireNonNull(latest, "latest");
    if (latest.isBefore(earliest)) {
      throw new IllegalArgumentException("window ends (" + latest + ") before it starts (" + earliest + ")");
    }
  }

  public static Window at(Instant t) {
    return new Window(t, t);
  }

  public Duration width() {
    return Duration.between(earliest, latest);
  }

  public boolean contains(Instant t) {
    return !t.isBefore(earliest) && !t.isAfter(latest);
  }

  /** The smallest window holding both. */
  public Window span(Window other) {
    return new Window(earliest.isBefore(other.earliest) ? earliest : other.earliest,
        latest.isAfter(other.latest) ? latest : other.latest);
  }
}
