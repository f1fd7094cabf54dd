package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.remote.RemoteShell;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shell a host runs to delay what it sends to the other hosts (tc netem) and to undo it.
 * On every interface that routes to another host it puts a {@code prio} root qdisc with the
 * handle {@value #HANDLE} whose third band is a netem delay; u32 filters send only packets for
 * the other hosts' addresses there, so the operator's SSH and everything else is not delayed.
 * The handle is how a heal knows the qdisc is the drill's: a root qdisc with another handle is
 * never touched, and adding fails (exit 3) rather than replace one the operator set up.
 *
 * <p>Prints, prefixed {@code raftswarm-}, the host-clock times around the change (netem takes
 * effect for the packets queued after it: the change's window is the fault's) and each change.
 */
final class NetemScript {
  /** tc handle of the drill's root qdisc ("RS"); its netem child is {@value #NETEM_HANDLE}. */
  static final String HANDLE = "5253:";
  static final String NETEM_HANDLE = "5254:";
  /** What a host whose kernel lacks the qdiscs is told (tc only says "Specified qdisc kind is unknown"). */
  static final String UNSUPPORTED = "this host's kernel has no netem or prio qdisc (CONFIG_NET_SCH_NETEM, "
      + "CONFIG_NET_SCH_PRIO; check with: zcat /proc/config.gz | grep NET_SCH): the slow-network drill cannot "
      + "delay packets here";

  private NetemScript() {}

  static String add(String sudo, List<String> others, Duration delay, Duration jitter) {
    String tc = sudo + "tc ";
    String netem = "netem delay " + delay.toMillis() + "ms" + (jitter.isZero() ? "" : " " + jitter.toMillis() + "ms distribution normal");
    StringBuilder s = new StringBuilder(devices(others)).append('\n');
    s.append("devs=$(rs_devs); [ -n \"$devs\" ] || { echo 'no route to the other hosts' >&2; exit 3; }\n");
    s.append("echo \"raftswarm-rules-from $(date +%s.%N)\"\n");
    // a failure half-way removes what this run added (only the drill's handle) and says why
    s.append("rs_fail() { ").append(tc).append("qdisc del dev \"$1\" root handle ").append(HANDLE)
        .append(" 2>/dev/null; case \"$2\" in *'kind is unknown'*) echo \"").append(UNSUPPORTED)
        .append("\" >&2 ;; esac; exit 3; }\n");
    s.append("for d in $devs; do\n");
    s.append("  e=$(").append(tc).append("qdisc add dev \"$d\" root handle ").append(HANDLE)
        .append(" prio bands 3 priomap 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2>&1) || { echo \"$e\" >&2; ")
        .append("case \"$e\" in *'kind is unknown'*) echo \"").append(UNSUPPORTED).append("\" >&2 ;; esac; exit 3; }\n");
    s.append("  e=$(").append(tc).append("qdisc add dev \"$d\" parent ").append(HANDLE).append("3 handle ")
        .append(NETEM_HANDLE).append(' ').append(netem).append(" 2>&1) || { echo \"$e\" >&2; rs_fail \"$d\" \"$e\"; }\n");
    for (String addr : others) {
      s.append("  e=$(").append(tc).append("filter add dev \"$d\" parent ").append(HANDLE)
          .append(" protocol ip prio 1 u32 match ip dst ").append(RemoteShell.quote(addr + "/32"))
          .append(" flowid ").append(HANDLE).append("3 2>&1) || { echo \"$e\" >&2; rs_fail \"$d\" \"$e\"; }\n");
    }
    s.append("  echo \"raftswarm-changed tc ").append(netem).append(" on $d for ")
        .append(String.join(",", others)).append("\"\n");
    s.append("done\n");
    s.append("echo \"raftswarm-rules-to $(date +%s.%N)\"\n");
    return s.toString();
  }

  /**
   * Removes the drill's root qdisc (and so its netem and filters) wherever it is, and the
   * {@link NfqueueDelayScript} delay where the kernel had no netem; a no-op elsewhere.
   */
  static String remove(String sudo, List<String> others) {
    String tc = sudo + "tc ";
    return devices(others) + "\n"
        + "echo \"raftswarm-rules-from $(date +%s.%N)\"\n"
        + "for d in $(rs_devs); do\n"
        + "  if " + tc + "qdisc show dev \"$d\" | grep -q '^qdisc prio " + HANDLE + " root'; then\n"
        + "    echo \"raftswarm-rule-change $(date +%s.%N)\"\n"
        + "    " + tc + "qdisc del dev \"$d\" root handle " + HANDLE + " || exit 3\n"
        + "    echo \"raftswarm-changed tc netem removed on $d\"\n"
        + "  fi\n"
        + "done\n"
        + NfqueueDelayScript.removeCommands(sudo) + "\n"
        + "echo \"raftswarm-rules-to $(date +%s.%N)\"\n";
  }

  /** The changes the script printed ("tc netem delay 150ms … on eth0 for …"). */
  static List<String> changes(String stdout) {
    return stdout.lines().map(String::strip).filter(l -> l.startsWith("raftswarm-changed "))
        .map(l -> l.substring("raftswarm-changed ".length())).toList();
  }

  /** A shell function printing each interface that routes to one of {@code others}, once. */
  private static String devices(List<String> others) {
    return "rs_devs() { for a in " + others.stream().map(RemoteShell::quote).collect(Collectors.joining(" "))
        + "; do ip -o route get \"$a\" | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p'; done | sort -u; }";
  }
}
