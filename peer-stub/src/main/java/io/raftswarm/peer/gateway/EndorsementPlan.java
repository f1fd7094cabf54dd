package io.raftswarm.peer.gateway;

import io.raftswarm.peer.validation.EndorsementPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which organisations must endorse for a chaincode's endorsement policy to be met, as the
 * Fabric gateway's endorsement plan picks them: the fewest orgs that satisfy the policy with one
 * peer each, the gateway's own org first when it can take part.
 */
final class EndorsementPlan {
  /** More orgs than this are not searched exhaustively (2^n subsets); channels have a handful. */
  private static final int MAX_ORGS = 16;

  private EndorsementPlan() {}

  /**
   * @param candidates orgs that have a peer to ask, in preference order (the gateway's own first)
   * @return the orgs to ask, or empty when no subset of the candidates satisfies the policy
   */
  static Optional<List<String>> orgs(EndorsementPolicy policy, List<String> candidates) {
    List<String> orgs = candidates.size() > MAX_ORGS ? candidates.subList(0, MAX_ORGS) : candidates;
    int n = orgs.size();
    for (int size = 1; size <= n; size++) {
      Optional<List<String>> found = firstOfSize(policy, orgs, size, 0, new ArrayList<>());
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** Subsets of {@code size} in lexicographic order of preference, so the own org comes first. */
  private static Optional<List<String>> firstOfSize(EndorsementPolicy policy, List<String> orgs, int size, int from,
      List<String> chosen) {
    if (chosen.size() == size) {
      List<EndorsementPolicy.Endorser> endorsers = chosen.stream()
          .map(msp -> new EndorsementPolicy.Endorser(msp, "peer")).toList();
      return policy.isSatisfiedBy(endorsers) ? Optional.of(List.copyOf(chosen)) : Optional.empty();
    }
    for (int i = from; i <= orgs.size() - (size - chosen.size()); i++) {
      chosen.add(orgs.get(i));
      Optional<List<String>> found = firstOfSize(policy, orgs, size, i + 1, chosen);
      chosen.remove(chosen.size() - 1);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }
}
