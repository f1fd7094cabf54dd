package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One reading of a remote clock: the operator's clock just before the request was sent and just
 * after the answer arrived, and the time the remote put into its answer (e.g. the Docker
 * engine's {@code /info} SystemTime). The remote stamped its answer somewhere in between, which
 * is all that is assumed — not that the two legs took equally long.
 */
public record ClockReading(Instant sent, Instant remote, Instant received) {
  public ClockReading {
    Objects.requireNonNull(sent, "sent");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(received, "received");
    if (received.isBefore(sent)) {
      throw new IllegalArgumentException("answer received (" + received + ") before the request was sent (" + sent + ")");
    }
  }

  public Duration roundTrip() {
    return Duration.between(sent, received);
  }

  /** Offsets (remote − operator) this reading allows: remote − received … remote − sent. */
  Duration minOffset() {
    return Duration.between(received, remote);
  }

  Duration maxOffset() {
    return Duration.between(sent, remote);
  }
}
