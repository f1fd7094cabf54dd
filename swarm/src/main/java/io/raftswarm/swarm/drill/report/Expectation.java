package io.raftswarm.swarm.drill.report;

import java.util.Objects;

/**
 * A liveness expectation of a drill (e.g. "the majority side keeps committing"), checked
 * against what was observed. Unmet expectations fail the drill, like a safety failure.
 */
public record Expectation(String description, boolean met, String observed) {
  public Expectation {
    Objects.requireNonNull(description, "description");
    observed = observed == null ? "" : observed;
  }
}
