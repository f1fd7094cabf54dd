package io.raftswarm.swarm.drill;

import java.time.Duration;
import java.util.Objects;

/**
 * Knobs shared by all drills.
 *
 * @param warmup load time before the first fault (gives a baseline)
 * @param hold how long a fault is held while observing
 * @param settle load time after the last repair
 * @param electionTimeout how long to wait for a leader before calling it a failure
 * @param convergeTimeout how long to wait for every node to converge after healing
 * @param loadRate background load, tx/s over all targets
 * @param maxDuration hard limit on the whole drill (load and sampling stop by themselves)
 */
public record DrillSettings(
    Duration warmup,
    Duration hold,
    Duration settle,
    Duration electionTimeout,
    Duration convergeTimeout,
    int loadRate,
    Duration maxDuration) {

  public DrillSettings {
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(hold, "hold");
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(electionTimeout, "electionTimeout");
    Objects.requireNonNull(convergeTimeout, "convergeTimeout");
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (loadRate < 1) {
      throw new IllegalArgumentException("loadRate must be >= 1 tx/s, got " + loadRate);
    }
  }

  public static DrillSettings defaults() {
    return new DrillSettings(Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(3),
        Duration.ofSeconds(20), Duration.ofSeconds(60), 40, Duration.ofMinutes(5));
  }
}
