package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.HostSession;
import io.raftswarm.swarm.remote.RemoteShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, without changing anything, whether the ports Docker Swarm needs between hosts get
 * through: 2377/tcp (to managers), 7946/tcp+udp and 4789/udp (VXLAN).
 *
 * <p>TCP: connect from host A to B with bash's /dev/tcp. "Connected" or "refused" means packets
 * get through (nothing listens yet before swarm init); a timeout or "no route" means a firewall
 * drops them. UDP gives no answer either way, so a short python3 listener on B waits for a
 * datagram sent from A; without python3 the UDP check is reported as skipped, not passed.
 */
final class SwarmPortProbe {
  enum Verdict { OPEN, BLOCKED, SKIPPED }

  record Result(String from, String to, int port, String proto, Verdict verdict, String detail) {
    String describe() {
      return port + "/" + proto + " " + from + " → " + to + ": " + switch (verdict) {
        case OPEN -> "ok";
        case BLOCKED -> "BLOCKED (" + detail + ")";
        case SKIPPED -> "not checked (" + detail + ")";
      };
    }
  }

  // The commands' own budgets (their `timeout`s plus a margin); the shell adds the measured
  // SSH transport time, and a login shell's startup files are paid once per session, not here.
  private static final Duration TCP_BUDGET = Duration.ofSeconds(5);
  private static final Duration UDP_STEP_BUDGET = Duration.ofSeconds(10);
  private static final int UDP_BURST = 20;
  private static final int UDP_ARRIVAL_SECONDS = 3;
  private static final int UDP_LISTENER_MAX_SECONDS = 300;

  private SwarmPortProbe() {}

  static Result tcp(HostSession from, HostSession to, int port) {
    String cmd = "timeout 3 bash -c 'exec 3<>/dev/tcp/" + to.host().address() + "/" + port
        + "' 2>&1; echo \"rc=$?\"";
    ExecResult r = from.ssh().shell().exec(cmd, TCP_BUDGET);
    return tcpResult(from, to, port, r.stdout());
  }

  /**
   * {@link #tcp} for several ports of {@code to} in one command, probed in parallel on {@code from}
   * (the orderers' published ports: one SSH round trip per pair of hosts, not per port).
   */
  static List<Result> tcpEach(HostSession from, HostSession to, List<Integer> ports) {
    StringBuilder cmd = new StringBuilder();
    for (int port : ports) {
      // one printf per probe: a single write, so the parallel probes' lines never interleave
      cmd.append("( o=$(timeout 3 bash -c 'exec 3<>/dev/tcp/").append(to.host().address()).append('/').append(port)
          .append("' 2>&1); r=$?; printf 'port=%s rc=%s %s\\n' ").append(port)
          .append(" \"$r\" \"$(printf %s \"$o\" | tr '\\n' ' ')\" ) & ");
    }
    cmd.append("wait");
    String out = from.ssh().shell().exec(cmd.toString(), TCP_BUDGET).stdout();
    List<Result> results = new ArrayList<>();
    for (int port : ports) {
      String line = out.lines().filter(l -> l.startsWith("port=" + port + " ")).findFirst().orElse("no answer from the probe");
      results.add(tcpResult(from, to, port, line));
    }
    return results;
  }

  private static Result tcpResult(HostSession from, HostSession to, int port, String out) {
    Verdict v;
    String detail;
    if (out.contains("rc=0")) {
      v = Verdict.OPEN;
      detail = "listening";
    } else if (out.contains("refused")) {
      v = Verdict.OPEN;
      detail = "reachable, nothing listening yet";
    } else if (out.contains("rc=124")) {
      v = Verdict.BLOCKED;
      detail = "connection timed out: a firewall drops it";
    } else {
      v = Verdict.BLOCKED;
      detail = out.replace("\n", " ").trim();
    }
    return new Result(from.name(), to.name(), port, "tcp", v, detail);
  }

  /**
   * Three steps, one after the other, so the sender can never start after the listener gave up,
   * however long either waits for a shell session (preflight runs many probes at once): bind a
   * listener on {@code to} in the background and return once it is bound; send a short burst
   * from {@code from}; then give the datagram {@link #UDP_ARRIVAL_SECONDS} to show up. The
   * listener also stops by itself ({@link #UDP_LISTENER_MAX_SECONDS}) if this process dies.
   */
  static Result udp(HostSession from, HostSession to, int port) {
    RemoteShell at = to.ssh().shell();
    String started = at.exec(startListener(port), UDP_STEP_BUDGET).stdout();
    if (started.contains("nopython")) {
      return udpResult(from, to, port, Verdict.SKIPPED,
          "python3 missing on " + to.name() + "; make sure the firewall allows it");
    }
    if (started.contains("inuse")) {
      return udpResult(from, to, port, Verdict.OPEN,
          "in use (swarm already running)");
    }
    String dir = started.lines().filter(l -> l.startsWith("dir=")).map(l -> l.substring(4))
        .findFirst().orElse(null);
    if (dir == null || !started.contains("ready")) { // the script removed its directory itself
      return udpResult(from, to, port, Verdict.SKIPPED,
          "probe failed: " + started.replace("\n", " ").trim());
    }
    String heard;
    try {
      String sent = from.ssh().shell().exec(sender(to.host().address(), port), UDP_STEP_BUDGET).stdout();
      if (sent.contains("nopython")) {
        return udpResult(from, to, port, Verdict.SKIPPED,
            "python3 missing on " + from.name() + "; make sure the firewall allows it");
      }
      heard = at.exec(awaitDatagram(dir), UDP_STEP_BUDGET).stdout();
    } finally {
      at.exec(stopListener(dir), UDP_STEP_BUDGET);
    }
    if (heard.contains("got")) {
      return udpResult(from, to, port, Verdict.OPEN, "datagram received");
    }
    return udpResult(from, to, port, Verdict.BLOCKED, "none of "
        + UDP_BURST + " datagrams arrived within " + UDP_ARRIVAL_SECONDS + " s: a firewall drops it");
  }

  private static Result udpResult(HostSession from, HostSession to, int port, Verdict verdict, String detail) {
    return new Result(from.name(), to.name(), port, "udp", verdict, detail);
  }

  private static String startListener(int port) {
    String python = String.join("\n",
        "import socket,errno",
        "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)",
        "try:",
        "  s.bind(('0.0.0.0'," + port + "))",
        "except OSError as e:",
        "  print('inuse' if e.errno==errno.EADDRINUSE else 'bindfail '+str(e),flush=True); raise SystemExit",
        "print('ready',flush=True)",
        "s.recvfrom(64); print('got',flush=True)");
    return "command -v python3 >/dev/null || { echo nopython; exit 0; }\n"
        + "d=$(mktemp -d \"${TMPDIR:-/tmp}/raftswarm-udp-probe.XXXXXX\") || exit 1\n"
        + "echo \"dir=$d\"\n"
        + "timeout " + UDP_LISTENER_MAX_SECONDS + " python3 -c " + RemoteShell.quote(python)
        + " >\"$d/out\" 2>&1 </dev/null &\n"
        + "echo $! >\"$d/pid\"\n"
        + "for i in $(seq 100); do [ -s \"$d/out\" ] && break; sleep 0.05; done\n"
        + "cat \"$d/out\"\n"
        // not listening (port in use, bind failed, too slow): nothing to send to, nothing to keep
        + "grep -q '^ready' \"$d/out\" || { kill \"$(cat \"$d/pid\")\" 2>/dev/null; rm -rf \"$d\"; }";
  }

  private static String sender(String address, int port) {
    return "command -v python3 >/dev/null || { echo nopython; exit 0; }; python3 -c "
        + RemoteShell.quote(String.join("\n",
            "import socket,time",
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)",
            "for i in range(" + UDP_BURST + "):",
            "  s.sendto(b'raftswarm-probe',('" + address + "'," + port + ")); time.sleep(0.05)"));
  }

  private static String awaitDatagram(String dir) {
    String d = RemoteShell.quote(dir);
    return "for i in $(seq " + UDP_ARRIVAL_SECONDS * 10 + "); do grep -q got " + d + "/out && break; sleep 0.1; done; cat " + d + "/out";
  }

  private static String stopListener(String dir) {
    String d = RemoteShell.quote(dir);
    return "kill \"$(cat " + d + "/pid)\" 2>/dev/null; rm -rf " + d;
  }
}
