package io.raftswarm.swarm.drill.clock;

import java.time.Instant;
import java.util.Objects;

/**
 * One raw observation behind a fault instant, kept verbatim for the JSON report so a reader can
 * redo the arithmetic.
 *
 * @param name what it is, e.g. "die event timeNano", "State.FinishedAt", "probe 10.77.0.1:7946"
 * @param raw the value as the source gave it (nanoseconds since the epoch, RFC 3339 text, …)
 * @param at the same time read on its own clock (see {@code clock})
 * @param clock whose clock {@code at} is on, e.g. "host2" or "operator"
 */
public record Evidence(String name, String raw, Instant at, String clock) {
  public Evidence {
    Objects.requireNonNull(name, "name");
    raw = raw == null ? "" : raw;
    clock = clock == null ? "" : clock;
  }
}
