package io.raftswarm.swarm.client;

import io.raftswarm.common.status.OrdererStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One poll of one orderer's {@code /status}: the status, or why it could not be read.
 *
 * @param node orderer name (as in the network profile)
 * @param status null when unreachable
 * @param error why the status could not be read; null when {@code status} is set
 */
public record StatusSample(Instant at, String node, OrdererStatus status, String error) {
  public StatusSample {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(node, "node");
    if ((status == null) == (error == null)) {
      throw new IllegalArgumentException("a sample has exactly one of status and error");
    }
  }

  public boolean reachable() {
    return status != null;
  }
}
