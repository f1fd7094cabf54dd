package io.raftswarm.swarm.drill.verdict;

import java.util.List;
import java.util.Objects;

/**
 * One thing the verdict found. A {@link Severity#FAIL} breaks safety; a {@link Severity#WARN}
 * weakens what the verdict can claim (a node not converged or not reachable) but is not a
 * safety violation.
 *
 * @param block block number concerned, or -1 when the finding is not about one block
 * @param nodes the node(s) at fault (or, for a lost tx, the orderer that acknowledged it)
 */
public record Finding(
    Severity severity, Check check, String channel, long block, List<String> nodes, String message) {

  public enum Severity { FAIL, WARN }

  /** Which property the finding is about. */
  public enum Check {
    CHAIN_INTEGRITY,
    BLOCK_DIVERGENCE,
    TX_LOST,
    TX_DUPLICATED,
    STATE_DIVERGENCE,
    NOT_CONVERGED,
    NOT_COLLECTED
  }

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(message, "message");
    nodes = List.copyOf(nodes);
  }
}
