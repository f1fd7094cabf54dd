package io.raftswarm.swarm.client;

import io.raftswarm.common.status.OrdererStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One poll of one orderer's {@code /status}: the status, or why it could not be read.
 *
 * <p>The orderer read its state somewhere between {@code at} (the request went out) and
 * {@code answeredAt} (its answer arrived): on a loaded box that window is tens to hundreds of
 * milliseconds, so a timing taken from a sample says both (see {@code Timing.seen}).
 *
 * @param at when the round that polled it started (the request went out)
 * @param node orderer name (as in the network profile)
 * @param status null when unreachable
 * @param error why the status could not be read; null when {@code status} is set
 * @param answeredAt when the answer (or the failure) arrived; not before {@code at}
 */
public record StatusSample(Instant at, String node, OrdererStatus status, String error, Instant answeredAt) {
  public StatusSample {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(answeredAt, "answeredAt");
    if ((status == null) == (error == null)) {
      throw new IllegalArgumentException("a sample has exactly one of status and error");
    }
    if (answeredAt.isBefore(at)) {
      throw new IllegalArgumentException("answered at " + answeredAt + ", before the request at " + at);
    }
  }

  /** A sample answered the instant it was asked for (synthetic timelines). */
  public StatusSample(Instant at, String node, OrdererStatus status, String error) {
    this(at, node, status, error, at);
  }

  public boolean reachable() {
    return status != null;
  }
}
