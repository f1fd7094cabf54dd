package io.raftswarm.swarm.drill.verdict;

import java.time.Instant;
import java.util.Objects;

/** A transaction for which a client received Broadcast SUCCESS (= committed by a Raft majority). */
public record AcknowledgedTx(String txId, String channel, String orderer, Instant ackedAt) {
  public AcknowledgedTx {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(orderer, "orderer");
    Objects.requireNonNull(ackedAt, "ackedAt");
  }
}
