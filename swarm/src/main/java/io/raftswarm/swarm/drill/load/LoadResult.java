package io.raftswarm.swarm.drill.load;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Everything the load did. {@code records} holds exactly one entry per envelope sent.
 *
 * @param skippedReconnecting sends skipped because the orderer's stream had just failed
 * @param skippedInFlight sends skipped because too many answers were outstanding on the stream
 */
public record LoadResult(
    Instant startedAt,
    Instant finishedAt,
    List<TxRecord> records,
    int skippedReconnecting,
    int skippedInFlight) {

  public LoadResult {
    records = records.stream().sorted(Comparator.comparing(TxRecord::sentAt)).toList();
  }
}
