package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.remote.RemoteShell;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The slow-network delay for a host whose kernel has no netem ({@link NetemScript#UNSUPPORTED}):
 * an iptables rule in the mangle table's POSTROUTING chain hands every packet for another host's
 * address to NFQUEUE {@value #QUEUE}, where a small python3 program (resource
 * {@code nfqueue-delay.py}, standard library only) holds each one for the delay ± jitter before
 * letting it go. The rule carries the comment {@value #TAG} and {@code --queue-bypass}, so a
 * helper that died lets packets through undelayed instead of dropping them. The helper runs in
 * its own session (it outlives the SSH command) with its pid and log in {@code $TMPDIR/}{@value #DIR}{@code -<network namespace>}.
 *
 * <p>Prints the same {@code raftswarm-} lines as {@link NetemScript}: the host-clock times around
 * the rule change (the rule's window is the fault's) and each change; on removal, how many
 * packets the helper held and for how long, which shows the delay took effect.
 */
final class NfqueueDelayScript {
  /** The NFQUEUE number ("RS"), as {@link NetemScript#HANDLE}. */
  static final int QUEUE = 5253;
  /** The iptables comment on the delay's rules. */
  static final String TAG = FaultInjector.TAG + "-delay";
  static final String DIR = "raftswarm-drill-delay";
  /**
   * The helper's directory, one per network namespace (NFQUEUE numbers are per namespace, and
   * hosts that share a file system, like the lab's, must not share it).
   */
  private static final String DIR_OF_THIS_NETNS = "dir=${TMPDIR:-/tmp}/" + DIR + "-$(readlink /proc/self/ns/net | tr -dc 0-9)";
  static final String NO_PYTHON = "this host has neither netem (CONFIG_NET_SCH_NETEM) nor python3 for the drill's "
      + "NFQUEUE delay: install python3 (Debian: apt-get install python3) or use a kernel with netem";
  private static final String HELPER = helper();
  /**
   * Whether a process runs and is no zombie: the helper outlives the shell that started it, and
   * where nothing reaps orphans (PID 1 of a container) it stays a zombie that {@code kill -0} finds.
   */
  private static final String ALIVE = "rs_alive() { s=$(cut -d' ' -f3 \"/proc/$1/stat\" 2>/dev/null) && [ -n \"$s\" ] && [ \"$s\" != Z ]; }";
  private static final String HEREDOC = "<<'RAFTSWARM_PY'";
  private static final String HEREDOC_END = "RAFTSWARM_PY";
  private static final Pattern HELPER_TEXT = Pattern.compile(Pattern.quote(HEREDOC) + "\n.*?\n" + HEREDOC_END + "$",
      Pattern.DOTALL | Pattern.MULTILINE);

  private NfqueueDelayScript() {}

  static String add(String sudo, List<String> others, Duration delay, Duration jitter) {
    String ipt = sudo + "iptables -w -t mangle ";
    String what = "nfqueue delay " + delay.toMillis() + "ms" + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + "ms");
    StringBuilder s = new StringBuilder();
    s.append("python3 -c 'import select, socket; socket.AF_NETLINK' 2>/dev/null || { echo ")
        .append(RemoteShell.quote(NO_PYTHON)).append(" >&2; exit 3; }\n");
    s.append(DIR_OF_THIS_NETNS).append('\n');
    s.append(ALIVE).append('\n');
    s.append("if [ -s \"$dir/pid\" ] && rs_alive \"$(cat \"$dir/pid\")\"; then "
        + "echo \"a drill delay already runs on this host (pid $(cat \"$dir/pid\")); remove it with: raftswarm drill heal\" >&2; exit 3; fi\n");
    s.append("rm -rf \"$dir\" && mkdir -p \"$dir\" || exit 3\n");
    s.append("cat > \"$dir/delay.py\" ").append(HEREDOC).append('\n').append(HELPER);
    if (!HELPER.endsWith("\n")) {
      s.append('\n');
    }
    s.append(HEREDOC_END).append('\n');
    // its own session, every descriptor on files: it must outlive this SSH command without holding it open
    s.append(sudo).append("setsid sh -c 'echo $$ > \"$1/pid\"; exec python3 \"$1/delay.py\" \"$2\" \"$3\" \"$4\"' sh \"$dir\" ")
        .append(QUEUE).append(' ').append(delay.toMillis()).append(' ').append(jitter.toMillis())
        .append(" > \"$dir/log\" 2>&1 < /dev/null &\n");
    s.append("for i in $(seq 100); do grep -q '^bound' \"$dir/log\" 2>/dev/null && break; sleep 0.1; done\n");
    s.append("grep -q '^bound' \"$dir/log\" || { cat \"$dir/log\" >&2; echo 'the NFQUEUE delay helper did not start' >&2; ")
        .append("[ -s \"$dir/pid\" ] && ").append(sudo).append("kill \"$(cat \"$dir/pid\")\" 2>/dev/null; exit 3; }\n");
    s.append("echo \"raftswarm-rules-from $(date +%s.%N)\"\n");
    for (String addr : others) {
      s.append("e=$(").append(ipt).append("-A POSTROUTING -d ").append(RemoteShell.quote(addr + "/32"))
          .append(" -m comment --comment ").append(TAG).append(" -j NFQUEUE --queue-num ").append(QUEUE)
          .append(" --queue-bypass 2>&1) || { echo \"$e\" >&2; ").append(removeCommands(sudo)).append(" >/dev/null; exit 3; }\n");
    }
    s.append("echo \"raftswarm-changed ").append(what).append(" for ").append(String.join(",", others))
        .append(" (python3 helper, pid $(cat \"$dir/pid\"))\"\n");
    s.append("echo \"raftswarm-rules-to $(date +%s.%N)\"\n");
    return s.toString();
  }

  /**
   * Deletes every rule tagged {@value #TAG} from the mangle table's POSTROUTING chain, then stops
   * the helper (which lets what it holds go) and prints what it held; a no-op where there is
   * neither. Prints no time stamps: {@link NetemScript#remove} wraps it.
   */
  static String removeCommands(String sudo) {
    String ipt = sudo + "iptables -w -t mangle ";
    return "{ if command -v iptables >/dev/null; then "
        + ipt + "-S POSTROUTING 2>/dev/null | grep -- '--comment " + TAG + "' | sed 's/^-A /-D /' | while read -r rule; do\n"
        + "    echo \"raftswarm-rule-change $(date +%s.%N)\"\n"
        + "    " + ipt + "$rule || exit 3\n"
        + "    echo \"raftswarm-changed nfqueue rule removed: $rule\"\n"
        + "  done || exit 3; fi\n"
        + "  " + DIR_OF_THIS_NETNS + "\n"
        + "  if [ -s \"$dir/pid\" ]; then\n"
        + "    p=$(cat \"$dir/pid\")\n"
        + "    " + ALIVE + "\n"
        + "    if rs_alive \"$p\" && " + sudo + "kill \"$p\" 2>/dev/null; then\n"
        + "      for i in $(seq 100); do rs_alive \"$p\" || break; sleep 0.05; done\n"
        + "      echo \"raftswarm-changed " + FaultInjector.DELAY_HELPER_STOPPED + "$(grep '^held' \"$dir/log\" 2>/dev/null || echo 'it printed no count')\"\n"
        + "    fi\n"
        + "  fi\n"
        + "  rm -rf \"$dir\"; }";
  }

  /** {@code script} with the helper's text elided, for logs and error messages. */
  static String withoutHelper(String script) {
    return HELPER_TEXT.matcher(script).replaceAll(Matcher.quoteReplacement(HEREDOC + "\n[nfqueue-delay.py]\n" + HEREDOC_END));
  }

  private static String helper() {
    try (InputStream in = NfqueueDelayScript.class.getResourceAsStream("nfqueue-delay.py")) {
      if (in == null) {
        throw new IllegalStateException("nfqueue-delay.py is missing from the CLI's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
