package io.raftswarm.swarm.drill.timeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something the drill did to the network, marked on the timeline.
 *
 * @param nodes nodes affected (killed, stopped, started, isolated); may be empty
 */
public record DrillEvent(Instant at, Kind kind, String description, List<String> nodes) {

  /** FAULT breaks something, HEAL undoes it, RESTART brings back a node, NOTE is informational. */
  public enum Kind { FAULT, HEAL, RESTART, NOTE }

  public DrillEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
    nodes = List.copyOf(nodes);
  }
}
