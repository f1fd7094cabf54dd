package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the operator issued a command to a host and when it returned, on the operator's clock.
 * Over SSH both ends can be seconds away from the moment the command did its work (the remote
 * login shell's startup files, a busy machine), so a span is a cross-check and a last resort,
 * never the fault instant itself when better evidence exists.
 */
public record CommandSpan(String command, Instant issued, Instant returned) {
  public CommandSpan {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(issued, "issued");
    Objects.requireNonNull(returned, "returned");
    if (returned.isBefore(issued)) {
      throw new IllegalArgumentException(command + " returned (" + returned + ") before it was issued (" + issued + ")");
    }
  }

  public Duration took() {
    return Duration.between(issued, returned);
  }

  public Window window() {
    return new Window(issued, returned);
  }
}
