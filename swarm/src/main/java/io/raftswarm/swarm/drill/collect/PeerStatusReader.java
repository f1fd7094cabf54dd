package io.raftswarm.swarm.drill.collect;

import io.raftswarm.common.status.PeerStatus;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.drill.verdict.PeerLedger;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads a peer's {@code /status} into {@link PeerLedger}s: the peer's last block hash is
 * compared with the orderers' block at that height, its state hash with other peers'.
 */
public final class PeerStatusReader {
  private final OperationsClient operations;

  public PeerStatusReader(Duration timeout) {
    this.operations = new OperationsClient(timeout, timeout);
  }

  /**
   * @param operationsEndpoint {@code host:port}
   * @throws IOException when the peer cannot be reached or answers something else
   */
  public List<PeerLedger> read(String peer, String operationsEndpoint) throws IOException {
    return ledgers(peer, operations.readPeerStatus(operationsEndpoint));
  }

  static List<PeerLedger> ledgers(String peer, PeerStatus status) {
    return status.channels().stream()
        .map(c -> new PeerLedger(peer, c.channel(), c.height(),
            c.height() > 0 && c.lastBlockHash() != null && !c.lastBlockHash().isEmpty()
                ? Map.of(c.height() - 1, c.lastBlockHash()) : Map.of(),
            c.stateHash() == null || c.stateHash().isEmpty() ? null : c.stateHash()))
        .toList();
  }
}
