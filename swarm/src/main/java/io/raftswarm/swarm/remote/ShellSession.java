package io.raftswarm.swarm.remote;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One long-lived {@code /bin/sh} on a host, started once over SSH and then fed commands.
 *
 * <p>Why: sshd runs every command through the user's login shell, and bash then sources
 * {@code ~/.bashrc} even for non-interactive SSH commands. Real hosts' startup files are slow
 * (pyenv, conda, nvm; some take a lock, so concurrent SSH commands serialize), print banners on
 * stdout, and change PATH. So the login shell is used exactly once per session, to
 * {@code exec} a clean {@code sh} ({@link #LAUNCH}: {@code env -i}, a fixed PATH, no rc files);
 * each command then runs in its own {@code sh -c} under it, with stdin from /dev/null (or the
 * given bytes), and is followed by a marker line on stdout (with the exit status) and on
 * stderr. Only what comes between markers is the command's output; whatever the startup files
 * printed before the first marker is dropped.
 *
 * <p>Not thread-safe: one command at a time ({@link ShellSessionPool} hands sessions out).
 */
final class ShellSession implements AutoCloseable {
  /** The PATH every command sees, whatever the host's startup files would have set. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin";

  /**
   * What the login shell runs: replace itself by a clean sh that inherits nothing from the
   * startup files but the account's HOME/USER/LOGNAME (commands need them for ~ paths).
   */
  static final String LAUNCH = cleanExec("-s");

  /** {@code exec}s a clean sh with {@code shArgs}: no rc files, fixed PATH. */
  static String cleanExec(String shArgs) {
    return "exec /usr/bin/env -i PATH=" + PATH
        + " HOME=\"$HOME\" USER=\"$USER\" LOGNAME=\"$LOGNAME\" LANG=C.UTF-8 LC_ALL=C.UTF-8"
        + " /bin/sh " + shArgs;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String where;
  private final Session session;
  private final Session.Command process;
  private final OutputStream stdin;
  private final OutputBuffer stdout;
  private final OutputBuffer stderr;
  private boolean broken;

  private ShellSession(String where, Session session, Session.Command process) {
    this.where = where;
    this.session = session;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdout = new OutputBuffer(process.getInputStream());
    this.stderr = new OutputBuffer(process.getErrorStream());
  }

  /**
   * Opens a session and waits until the clean shell answers; {@code budgetNanos} covers the
   * login shell's startup files. Throws a {@link RemoteHostException} saying what was waited for.
   */
  static ShellSession start(SshHost host, long budgetNanos) {
    String where = host.target().label();
    Session session = null;
    try {
      session = host.client().startSession();
      ShellSession s = new ShellSession(where, session, session.exec(LAUNCH));
      try {
        s.runRaw("", null, System.nanoTime() + budgetNanos);
      } catch (TimeoutException e) {
        s.close();
        throw new RemoteHostException("the login shell on " + where + " did not start a command"
            + " within " + seconds(budgetNanos) + " s (sshd runs every command through it, after"
            + " its startup files such as ~/.bashrc, ~/.profile or /etc/bash.bashrc); make them"
            + " faster for non-interactive shells, e.g. start ~/.bashrc with"
            + " '[ -z \"$PS1\" ] && return'", e);
      } catch (EOFException e) {
        s.close();
        throw new RemoteHostException("the login shell on " + where + " exited before running"
            + " a command (is the account's shell /usr/sbin/nologin, or is /usr/bin/env or"
            + " /bin/sh missing?); it printed: " + e.getMessage().strip(), e);
      }
      return s;
    } catch (IOException e) {
      closeQuietly(session);
      throw new RemoteHostException("cannot open a session on " + where + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      closeQuietly(session);
      Thread.currentThread().interrupt();
      throw new RemoteHostException("interrupted while starting a shell on " + where, e);
    }
  }

  /**
   * Runs {@code command} (sh syntax) with {@code input} as its stdin (none when null).
   *
   * @throws TimeoutException when it did not finish by {@code deadlineNanos}; the session is
   *     then broken and must be closed
   * @throws EOFException when the shell went away (connection lost)
   */
  ExecResult run(String command, byte[] input, long deadlineNanos)
      throws IOException, TimeoutException, InterruptedException {
    return runRaw(command, input, deadlineNanos);
  }

  private ExecResult runRaw(String command, byte[] input, long deadlineNanos)
      throws IOException, TimeoutException, InterruptedException {
    if (broken) {
      throw new IllegalStateException("shell session on " + where + " is broken");
    }
    String nonce = HexFormat.of().formatHex(randomBytes());
    String marker = "\u001eRS" + nonce;
    StringBuilder line = new StringBuilder();
    String invocation = command.isEmpty() ? ":" : "/bin/sh -c " + RemoteShell.quote(command);
    if (input == null) {
      line.append(invocation).append(" </dev/null");
    } else {
      // A here-document keeps arbitrary bytes out of the shell's parser.
      line.append("base64 -d <<'RSEOF").append(nonce).append("' | ").append(invocation);
    }
    line.append("; printf '\\036RS").append(nonce).append(":%d\\n' \"$?\"; printf '\\036RS")
        .append(nonce).append("\\n' >&2\n");
    if (input != null) {
      line.append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(input))
          .append("\nRSEOF").append(nonce).append('\n');
    }
    broken = true; // until both markers arrived
    stdin.write(line.toString().getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    byte[] out = stdout.takeUntil((marker + ":").getBytes(StandardCharsets.UTF_8), deadlineNanos);
    byte[] status = stdout.takeUntil(new byte[] {'\n'}, deadlineNanos);
    byte[] err = stderr.takeUntil((marker + "\n").getBytes(StandardCharsets.UTF_8), deadlineNanos);
    broken = false;
    return new ExecResult(where, command, Integer.parseInt(new String(status, StandardCharsets.US_ASCII)),
        new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return b;
  }

  boolean usable() {
    return !broken && session.isOpen();
  }

  @Override
  public void close() {
    broken = true;
    try {
      process.close();
    } catch (IOException | RuntimeException ignored) {
      // the channel is gone already
    }
    closeQuietly(session);
  }

  private static void closeQuietly(Session s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException | RuntimeException ignored) {
        // the channel is gone already
      }
    }
  }

  static long seconds(long nanos) {
    return Math.max(1, Math.round(nanos / 1e9));
  }
}
