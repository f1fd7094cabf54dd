package io.raftswarm.swarm.drill.clock;

import java.time.Instant;
import java.util.Objects;

/**
 * A container event as a Docker engine logged it ({@code GET /events}): {@code die} when the
 * container's process exited, {@code pause}, {@code unpause}, {@code start}.
 *
 * @param time the event's {@code timeNano}, on the engine host's clock
 * @param timeNano the raw value, nanoseconds since the epoch
 */
public record EngineEvent(String host, String container, String action, Instant time, long timeNano) {
  public EngineEvent {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(time, "time");
  }

  public static EngineEvent ofNanos(String host, String container, String action, long timeNano) {
    return new EngineEvent(host, container, action,
        Instant.ofEpochSecond(Math.floorDiv(timeNano, 1_000_000_000L), Math.floorMod(timeNano, 1_000_000_000L)),
        timeNano);
  }
}
