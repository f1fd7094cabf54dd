package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.HostSession;
import io.raftswarm.swarm.remote.RemoteShell;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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
  private static final Duration UDP_BUDGET = Duration.ofSeconds(18);
  private static final int UDP_LISTEN_SECONDS = 12;

  private SwarmPortProbe() {}

  static Result tcp(HostSession from, HostSession to, int port) {
    String cmd = "timeout 3 bash -c 'exec 3<>/dev/tcp/" + to.host().address() + "/" + port
        + "' 2>&1; echo \"rc=$?\"";
    ExecResult r = from.ssh().shell().exec(cmd, TCP_BUDGET);
    String out = r.stdout();
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
   * The listener on {@code to} and the sender on {@code from} start independently (either may
   * wait for a shell session), so the sender keeps sending for longer than the listener waits
   * and the verdict does not wait for the sender: "got" ends the probe at once.
   */
  static Result udp(HostSession from, HostSession to, int port) {
    String listener = "command -v python3 >/dev/null || { echo nopython; exit 0; }; timeout 14 python3 -c "
        + RemoteShell.quote(String.join("\n",
            "import socket,errno",
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)",
            "try:",
            "  s.bind(('0.0.0.0'," + port + "))",
            "except OSError as e:",
            "  print('inuse' if e.errno==errno.EADDRINUSE else 'bindfail '+str(e)); raise SystemExit",
            "print('ready',flush=True)",
            "s.settimeout(" + UDP_LISTEN_SECONDS + ")",
            "try:",
            "  s.recvfrom(64); print('got')",
            "except socket.timeout:",
            "  print('none')"));
    CompletableFuture<ExecResult> listening = CompletableFuture.supplyAsync(
        () -> to.ssh().shell().exec(listener, UDP_BUDGET), ProvisionThreads.POOL);
    String sender = "command -v python3 >/dev/null || { echo nopython; exit 0; }; timeout 16 python3 -c "
        + RemoteShell.quote(String.join("\n",
            "import socket,time",
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)",
            "for i in range(75):",
            "  s.sendto(b'raftswarm-probe',('" + to.host().address() + "'," + port + ")); time.sleep(0.2)"));
    CompletableFuture<ExecResult> sending = CompletableFuture.supplyAsync(
        () -> from.ssh().shell().exec(sender, UDP_BUDGET), ProvisionThreads.POOL);
    String heard = listening.join().stdout();
    Verdict v;
    String detail;
    if (heard.contains("nopython")) {
      v = Verdict.SKIPPED;
      detail = "python3 missing on " + to.name() + "; make sure the firewall allows it";
    } else if (heard.contains("inuse")) {
      v = Verdict.OPEN;
      detail = "in use (swarm already running)";
    } else if (heard.contains("got")) {
      v = Verdict.OPEN;
      detail = "datagram received";
    } else if (sending.join().stdout().contains("nopython")) {
      v = Verdict.SKIPPED;
      detail = "python3 missing on " + from.name() + "; make sure the firewall allows it";
    } else if (heard.contains("none")) {
      v = Verdict.BLOCKED;
      detail = "no datagram arrived within " + UDP_LISTEN_SECONDS + " s: a firewall drops it";
    } else {
      v = Verdict.SKIPPED;
      detail = "probe failed: " + heard.replace("\n", " ").trim();
    }
    return new Result(from.name(), to.name(), port, "udp", v, detail);
  }
}
