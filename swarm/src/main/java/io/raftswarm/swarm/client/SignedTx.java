package io.raftswarm.swarm.client;

import java.util.Objects;
import org.hyperledger.fabric.protos.common.Envelope;

/** A signed envelope ready to broadcast, with its tx id. */
public record SignedTx(String txId, String channel, Envelope envelope) {
  public SignedTx {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(envelope, "envelope");
  }
}
