package io.raftswarm.swarm.drill.verdict;

import java.util.List;
import java.util.Set;

/**
 * Everything the verdict looks at, collected after a drill.
 *
 * @param acknowledged txs that received Broadcast SUCCESS
 * @param unacknowledged tx ids the load sent that got no SUCCESS (rejected, error, no answer);
 *     only counted when found committed anyway, which is allowed
 * @param ordererChains every orderer's chain per channel
 * @param peerLedgers every peer's view per channel
 * @param gaps nodes that could not be collected
 */
public record SafetyInputs(
    List<AcknowledgedTx> acknowledged,
    Set<String> unacknowledged,
    List<NodeChain> ordererChains,
    List<PeerLedger> peerLedgers,
    List<CollectionGap> gaps) {

  public SafetyInputs {
    acknowledged = List.copyOf(acknowledged);
    unacknowledged = Set.copyOf(unacknowledged);
    ordererChains = List.copyOf(ordererChains);
    peerLedgers = List.copyOf(peerLedgers);
    gaps = List.copyOf(gaps);
  }
}
