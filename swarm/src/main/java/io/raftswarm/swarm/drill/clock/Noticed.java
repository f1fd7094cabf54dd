package io.raftswarm.swarm.drill.clock;

import java.time.Instant;
import java.util.Objects;

/**
 * Another node's record that a fault had already happened: e.g. an orderer logging that its
 * connection to the killed one closed. The engine's timestamp of that log line is on {@code host}'s
 * clock; the fault came no later than it.
 *
 * @param line the log line, verbatim (for the report's evidence)
 */
public record Noticed(String host, String container, Instant at, String line) {
  public Noticed {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(at, "at");
    line = line == null ? "" : line;
  }
}
