package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.remote.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the injector's real shell commands in a local bash, with fake {@code iptables},
 * {@code nsenter}, {@code tc} and probe tools first on PATH: iptables keeps its rules per host in
 * a file (so insert, list with -S and delete behave like the real thing for these commands).
 * There is no fake docker: containers are driven through {@link Containers}, never a shell.
 */
final class FakeHostsShell implements HostShell {
  private static final String IPTABLES = """
      #!/bin/bash
      state="$FAKE_DIR/$FAKE_HOST.rules"
      echo "iptables $*" >> "$FAKE_DIR/$FAKE_HOST.log"
      [ "$1" = "-w" ] && shift
      [ "$1" = "-t" ] && { [ "$2" = filter ] || state="$FAKE_DIR/$FAKE_HOST.$2.rules"; shift 2; }
      touch "$state"
      op=$1; shift; chain=$1; shift
      case "$op" in
        -I|-A) echo "-A $chain $*" >> "$state" ;;
        -D) grep -vxF -- "-A $chain $*" "$state" > "$state.tmp" || true; mv "$state.tmp" "$state" ;;
        -S) grep -- "^-A $chain " "$state" || true ;;
        *) echo "fake iptables: unsupported $op" >&2; exit 2 ;;
      esac
      """;
  /**
   * Stands in for {@code timeout 0.2 bash -c 'exec 3<>/dev/tcp/$0/$1' ADDR PORT}: the probe
   * connects unless this host's fake rules drop ADDR, and then fails like the real thing (EPERM
   * from the local OUTPUT chain). FAKE_PROBE=ok/refused/timeout forces the answer,
   * FAKE_PROBE=missing acts like a host without the tools. Never touches the network.
   */
  private static final String TIMEOUT = """
      #!/bin/bash
      addr="${@: -2:1}"
      echo "probe $addr" >> "$FAKE_DIR/$FAKE_HOST.probes"
      case "$FAKE_PROBE" in
        ok) exit 0 ;;
        refused) echo "bash: connect: Connection refused" >&2; exit 1 ;;
        timeout) exit 124 ;;
        missing) echo "timeout: failed to run command 'bash': No such file or directory" >&2; exit 127 ;;
      esac
      if grep -q -e "-A OUTPUT -d $addr " -e "-A OUTPUT ! -o lo " "$FAKE_DIR/$FAKE_HOST.rules" 2>/dev/null; then
        echo "bash: connect: Operation not permitted" >&2; exit 1
      fi
      exit 0
      """;

  /** {@code nsenter -t PID -n CMD…}: runs CMD as the host "HOST.nsPID" (its own rules file). */
  private static final String NSENTER = """
      #!/bin/bash
      [ "$1" = "-t" ] || { echo "fake nsenter: expected -t PID" >&2; exit 2; }
      pid=$2; shift 2
      [ "$1" = "-n" ] && shift
      export FAKE_HOST="$FAKE_HOST.ns$pid"
      exec "$@"
      """;
  /**
   * python3: {@code -c} (the NFQUEUE delay's check) succeeds unless FAKE_NO_PYTHON; a script
   * (the delay helper) records its arguments, says "bound", and on SIGTERM says what it held and
   * exits. Never touches netlink.
   */
  private static final String PYTHON3 = """
      #!/bin/bash
      [ -n "$FAKE_NO_PYTHON" ] && { echo "python3: command not found" >&2; exit 127; }
      [ "$1" = "-c" ] && exit 0
      shift
      echo "$*" > "$FAKE_DIR/$FAKE_HOST.helper"
      trap 'echo "held 42 packets, mean 151 ms, max 230 ms"; echo stopped >> "$FAKE_DIR/$FAKE_HOST.helper"; exit 0' TERM
      echo bound
      while :; do sleep 0.05; done
      """;
  /** {@code ip -o route get ADDR}: every address routes through eth0. */
  private static final String IP = """
      #!/bin/bash
      echo "${@: -1} via 10.77.0.254 dev eth0 src 10.77.0.9 uid 0"
      """;
  /** tc: logs its arguments; keeps the root qdisc of eth0 in a file (none = the default noqueue). */
  private static final String TC = """
      #!/bin/bash
      echo "tc $*" >> "$FAKE_DIR/$FAKE_HOST.tc"
      state="$FAKE_DIR/$FAKE_HOST.qdisc"
      case " $* " in *" netem "*) [ -n "$FAKE_NO_NETEM" ] && { echo "Error: Specified qdisc kind is unknown." >&2; exit 2; } ;; esac
      case "$1 $2 $5" in
        "qdisc add root")
          if [ -s "$state" ]; then echo "Error: Exclusivity flag on, cannot modify." >&2; exit 2; fi
          echo "qdisc $8 $7 root refcnt 2" > "$state" ;;
        "qdisc show "*) cat "$state" 2>/dev/null || echo "qdisc noqueue 0: root refcnt 2" ;;
        "qdisc del root") rm -f "$state" ;;
      esac
      exit 0
      """;

  final Path dir;
  final List<String> commands = Collections.synchronizedList(new ArrayList<>());
  private final boolean root;
  String probe = "";
  /** tc refuses netem like a kernel built without CONFIG_NET_SCH_NETEM. */
  boolean noNetem;
  /** The host has no python3 (for the NFQUEUE delay). */
  boolean noPython;

  FakeHostsShell(Path dir, boolean root) throws IOException {
    this.dir = dir;
    this.root = root;
    Path bin = Files.createDirectories(dir.resolve("bin"));
    write(bin.resolve("iptables"), IPTABLES);
    write(bin.resolve("timeout"), TIMEOUT);
    write(bin.resolve("nsenter"), NSENTER);
    write(bin.resolve("ip"), IP);
    write(bin.resolve("tc"), TC);
    write(bin.resolve("python3"), PYTHON3);
    // sudo -n iptables ... → iptables ...
    write(bin.resolve("sudo"), "#!/bin/bash\n[ \"$1\" = \"-n\" ] && shift\nexec \"$@\"\n");
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Override
  public ExecResult exec(String host, String command, Duration timeout) {
    commands.add(host + ": " + command);
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().put("FAKE_DIR", dir.toString());
    pb.environment().put("FAKE_HOST", host);
    pb.environment().put("FAKE_PROBE", probe);
    pb.environment().put("FAKE_NO_NETEM", noNetem ? "1" : "");
    pb.environment().put("FAKE_NO_PYTHON", noPython ? "1" : "");
    // each fake host its own temporary directory, as separate machines have
    pb.environment().put("TMPDIR", tmpdir(host).toString());
    try {
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new ExecResult(host, command, p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  List<String> rules(String host) throws IOException {
    Path f = dir.resolve(host + ".rules");
    return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList() : List.of();
  }

  /** {@code host}'s $TMPDIR. */
  Path tmpdir(String host) {
    try {
      return Files.createDirectories(dir.resolve("tmp-" + host));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rules in {@code table} (iptables -t TABLE) on {@code host}. */
  List<String> rules(String host, String table) throws IOException {
    return rules(host + "." + table);
  }

  /** What the fake python3 delay helper was started with, and "stopped" once it got SIGTERM. */
  List<String> helper(String host) throws IOException {
    Path f = dir.resolve(host + ".helper");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  List<String> probes(String host) throws IOException {
    Path f = dir.resolve(host + ".probes");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  /** The tc commands run on {@code host}. */
  List<String> tc(String host) throws IOException {
    Path f = dir.resolve(host + ".tc");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  void rootQdisc(String host, String line) throws IOException {
    Files.writeString(dir.resolve(host + ".qdisc"), line + "\n");
  }

  void addRule(String host, String rule) throws IOException {
    Files.writeString(dir.resolve(host + ".rules"), rule + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  @Override
  public boolean isRoot(String host) {
    return root;
  }

  @Override
  public void close() {}
}
