package io.raftswarm.peer.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Fabric signature policy: {@code 'Org1MSP.peer'} principals combined with {@code AND},
 * {@code OR} and {@code OutOf(n, ...)}. Parse with {@link #parse}; evaluate with
 * {@link #isSatisfiedBy} against the endorsers whose signatures checked out.
 */
public sealed interface EndorsementPolicy {

  /** A principal, e.g. Org1MSP.peer; role is one of member, peer, admin, client, orderer. */
  record Principal(String mspId, String role) implements EndorsementPolicy {
    public Principal {
      Objects.requireNonNull(mspId, "mspId");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public String toString() {
      return "'" + mspId + "." + role + "'";
    }
  }

  /** At least {@code n} of the rules; AND = OutOf(all), OR = OutOf(1). */
  record OutOf(int n, List<EndorsementPolicy> rules) implements EndorsementPolicy {
    public OutOf {
      rules = List.copyOf(rules);
      if (n < 0 || n > rules.size()) {
        throw new IllegalArgumentException("OutOf(" + n + ", ...) needs between 0 and " + rules.size() + " as its count");
      }
    }

    @Override
    public String toString() {
      String inner = rules.stream().map(Object::toString).collect(Collectors.joining(", "));
      if (n == rules.size()) {
        return "AND(" + inner + ")";
      }
      return n == 1 ? "OR(" + inner + ")" : "OutOf(" + n + ", " + inner + ")";
    }
  }

  /** An identity that endorsed (its signature already verified) and its NodeOU role. */
  record Endorser(String mspId, String role) {}

  static EndorsementPolicy parse(String text) {
    return new PolicyParser(text).parse();
  }

  /**
   * True when the endorsers satisfy the policy, each endorser counting for at most one
   * principal (as Fabric does: AND('Org1MSP.peer','Org1MSP.peer') needs two Org1 peers).
   * Evaluation is greedy in rule order, like Fabric's.
   */
  default boolean isSatisfiedBy(List<Endorser> endorsers) {
    return PolicyEvaluation.evaluate(this, endorsers, new boolean[endorsers.size()]);
  }

  /** Every MSP id the policy names (to check them against the channel at deploy). */
  default List<String> mspIds() {
    List<String> ids = new ArrayList<>();
    PolicyEvaluation.collectMspIds(this, ids);
    return ids;
  }
}
