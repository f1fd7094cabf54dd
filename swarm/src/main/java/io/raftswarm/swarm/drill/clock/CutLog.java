package io.raftswarm.swarm.drill.clock;

import java.util.List;
import java.time.Instant;
import java.util.Objects;

/**
 * What a host reported while its iptables rules were changed for a cut or a heal: probes across
 * the cut before and after, and the host-clock times around the rule change.
 *
 * @param host the host the rules were changed on (its clock times everything below)
 * @param command the command's span on the operator's clock
 * @param rulesFrom host clock just before the first rule changed; null if not reported
 * @param rulesTo host clock just after the last rule changed; null if not reported
 * @param lastRuleFrom host clock just before the last single rule change began; null if not
 *     reported. A heal needs every rule gone, so it cannot take effect before this.
 * @param rules the rules inserted or removed, as iptables -S prints them
 * @param unreadable output lines that looked like ours but could not be read (e.g. a
 *     {@code date} without %N)
 */
public record CutLog(String host, CommandSpan command, Instant rulesFrom, Instant rulesTo,
    Instant lastRuleFrom, List<ProbeRecord> probes, List<String> rules, List<String> unreadable) {

  public CutLog {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(command, "command");
    probes = List.copyOf(probes);
    rules = List.copyOf(rules);
    unreadable = List.copyOf(unreadable);
  }

  public List<String> targets() {
    return probes.stream().map(ProbeRecord::target).distinct().toList();
  }
}
