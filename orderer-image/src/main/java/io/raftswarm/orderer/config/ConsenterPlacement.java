package io.raftswarm.orderer.config;

import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.LeaderHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which machine each consenter runs on (the file {@code ORDERER_CONSENSUS_PLACEMENTFILE} names,
 * which raftswarm writes from its plan), so that a channel's leader stays on the machine that runs
 * most of its consenters: there the leader's commit quorum is mostly on its own machine, and on the
 * lab that layout orders a third more per second than a leader on the smaller host
 * (docs/BENCHMARKS.md "The leader's host, placed on purpose"). It only orders who campaigns first
 * and whom a stopping leader hands off to; votes still decide, so orderers with different or no
 * placements are merely less tidy, never unsafe. A file rather than a variable: raftswarm rewrites
 * it when a host joins, which must not recreate the running orderers' containers.
 *
 * @param machineByEndpoint lower-case consenter cluster endpoint {@code host:port} → machine name
 */
public record ConsenterPlacement(Map<String, String> machineByEndpoint) {
  public static final String VARIABLE = "ORDERER_CONSENSUS_PLACEMENTFILE";

  public ConsenterPlacement {
    machineByEndpoint = Map.copyOf(machineByEndpoint);
  }

  public static ConsenterPlacement none() {
    return new ConsenterPlacement(Map.of());
  }

  public static ConsenterPlacement read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ConfigException(VARIABLE + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * Parses lines of {@code <consenter host>:<cluster port> <machine>}; blank lines and {@code #}
   * comments are skipped.
   *
   * @throws ConfigException naming {@code source}:line of a malformed entry or of an endpoint
   *     placed on two machines
   */
  public static ConsenterPlacement parse(String text, String source) {
    Map<String, String> machines = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      int colon = fields[0].lastIndexOf(':');
      if (fields.length != 2 || colon <= 0 || !isPort(fields[0].substring(colon + 1))) {
        throw new ConfigException(source + ":" + (i + 1) + ": '" + line + "' is not '<consenter host>:<cluster port>"
            + " <machine>', e.g. 'orderer.example.com:7052 host1' (" + VARIABLE + ")");
      }
      String endpoint = fields[0].toLowerCase(Locale.ROOT);
      String earlier = machines.putIfAbsent(endpoint, fields[1]);
      if (earlier != null && !earlier.equals(fields[1])) {
        throw new ConfigException(source + ":" + (i + 1) + ": " + endpoint + " is placed on both " + earlier
            + " and " + fields[1] + " (" + VARIABLE + ")");
      }
    }
    return new ConsenterPlacement(machines);
  }

  /**
   * The consenters that should lead: those on the machine that runs the most of them (a tie goes
   * to the machine first by name, the same choice on every orderer). All of them when the
   * placement knows none of these consenters or no machine runs two of them.
   */
  public Set<Integer> preferredLeaders(List<Consenter> consenters) {
    Map<Integer, String> machineOf = machineOf(consenters);
    return LeaderHost.of(machineOf.values())
        .map(host -> machineOf.entrySet().stream().filter(e -> e.getValue().equals(host)).map(Map.Entry::getKey)
            .collect(Collectors.toUnmodifiableSet()))
        .orElseGet(() -> consenters.stream().map(Consenter::id).collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether the placement puts consenters {@code a} and {@code b} on the same machine (false when it does not know either). */
  public boolean sameMachine(List<Consenter> consenters, int a, int b) {
    Map<Integer, String> machineOf = machineOf(consenters);
    return machineOf.containsKey(a) && machineOf.get(a).equals(machineOf.get(b));
  }

  /** The machine of each consenter the placement knows, by consenter id, in the consenters' order. */
  private Map<Integer, String> machineOf(List<Consenter> consenters) {
    Map<Integer, String> machineOf = new LinkedHashMap<>();
    for (Consenter c : consenters) {
      String machine = machineByEndpoint.get(c.clusterEndpoint().toLowerCase(Locale.ROOT));
      if (machine != null) {
        machineOf.put(c.id(), machine);
      }
    }
    return machineOf;
  }

  private static boolean isPort(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int port = Integer.parseInt(s);
    return port >= 1 && port <= 65535;
  }
}
