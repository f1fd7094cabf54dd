package io.raftswarm.peer.validation;

import java.util.List;

/** Evaluation of {@link EndorsementPolicy} trees; {@code used} marks endorsers already consumed. */
final class PolicyEvaluation {
  private PolicyEvaluation() {}

  static boolean evaluate(EndorsementPolicy policy, List<EndorsementPolicy.Endorser> endorsers, boolean[] used) {
    if (policy instanceof EndorsementPolicy.Principal p) {
      for (int i = 0; i < endorsers.size(); i++) {
        EndorsementPolicy.Endorser e = endorsers.get(i);
        if (!used[i] && e.mspId().equals(p.mspId()) && (p.role().equals("member") || p.role().equals(e.role()))) {
          used[i] = true;
          return true;
        }
      }
      return false;
    }
    EndorsementPolicy.OutOf outOf = (EndorsementPolicy.OutOf) policy;
    int satisfied = 0;
    for (EndorsementPolicy rule : outOf.rules()) {
      boolean[] attempt = used.clone();
      if (evaluate(rule, endorsers, attempt)) {
        System.arraycopy(attempt, 0, used, 0, used.length);
        satisfied++;
        if (satisfied >= outOf.n()) {
          return true;
        }
      }
    }
    return satisfied >= outOf.n();
  }

  static void collectMspIds(EndorsementPolicy policy, List<String> into) {
    if (policy instanceof EndorsementPolicy.Principal p) {
      if (!into.contains(p.mspId())) {
        into.add(p.mspId());
      }
    } else {
      ((EndorsementPolicy.OutOf) policy).rules().forEach(r -> collectMspIds(r, into));
    }
  }
}
