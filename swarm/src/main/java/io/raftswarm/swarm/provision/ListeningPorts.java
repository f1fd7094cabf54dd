package io.raftswarm.swarm.provision;

import java.util.Set;
import java.util.TreeSet;

/**
 * TCP ports in LISTEN state, parsed from {@code /proc/net/tcp} and {@code /proc/net/tcp6}
 * (present on every Linux host, unlike ss or netstat).
 */
final class ListeningPorts {
  static final String COMMAND = "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null";
  private static final String LISTEN = "0A";

  private ListeningPorts() {}

  static Set<Integer> parse(String procNetTcp) {
    Set<Integer> ports = new TreeSet<>();
    for (String line : procNetTcp.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[0].endsWith(":") || !LISTEN.equals(f[3])) {
        continue;
      }
      String local = f[1];
      int colon = local.lastIndexOf(':');
      if (colon > 0) {
        ports.add(Integer.parseInt(local.substring(colon + 1), 16));
      }
    }
    return ports;
  }
}
