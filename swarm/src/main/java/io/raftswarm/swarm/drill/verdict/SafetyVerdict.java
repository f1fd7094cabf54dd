package io.raftswarm.swarm.drill.verdict;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link SafetyChecker#check}. PASS iff there is no {@link Finding.Severity#FAIL}
 * finding.
 *
 * @param acknowledged acknowledged txs checked
 * @param committedOnce acknowledged txs found exactly once in the agreed chain
 * @param lost acknowledged txs not in the agreed chain
 * @param duplicated acknowledged txs more than once in the agreed chain
 * @param committedWithoutAck txs whose client saw no SUCCESS but that were committed anyway
 *     (allowed: an error or timeout says nothing about the outcome)
 * @param agreedHeights height of the agreed chain per channel
 */
public record SafetyVerdict(
    List<Finding> findings,
    int acknowledged,
    int committedOnce,
    int lost,
    int duplicated,
    int committedWithoutAck,
    Map<String, Long> agreedHeights) {

  public SafetyVerdict {
    findings = List.copyOf(findings);
    agreedHeights = Map.copyOf(agreedHeights);
  }

  public boolean pass() {
    return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.FAIL);
  }

  public List<Finding> failures() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.FAIL).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.WARN).toList();
  }
}
