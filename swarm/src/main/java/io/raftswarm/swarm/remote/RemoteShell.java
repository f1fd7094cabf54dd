package io.raftswarm.swarm.remote;

import java.time.Duration;

/**
 * Runs shell commands on one host, independent of the login shell's startup files: commands
 * run in a clean {@code /bin/sh} (fixed PATH, no rc files) and only what the command itself
 * printed is returned (see {@link ShellSession}). Safe to use from several threads; sessions
 * are pooled per host ({@link ShellSessionPool}).
 */
public final class RemoteShell {
  private final ShellSessionPool pool;

  RemoteShell(ShellSessionPool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code command}; returns its output and exit status without judging it.
   * {@code timeout} is the command's own budget; the measured SSH transport time is added.
   */
  public ExecResult exec(String command, Duration timeout) {
    return exec(command, null, timeout);
  }

  /** Like {@link #exec(String, Duration)} with {@code stdin} as the command's standard input. */
  public ExecResult exec(String command, byte[] stdin, Duration timeout) {
    return pool.exec(command, stdin, timeout);
  }

  /** This host's measured login-shell start and round trip, for progress lines. */
  public String measured() {
    return pool.measured();
  }

  /** Runs {@code command} and returns stdout; a non-zero exit throws, showing stderr's tail. */
  public String run(String command, Duration timeout) {
    ExecResult r = exec(command, timeout);
    if (!r.ok()) {
      throw new RemoteHostException("'" + command + "' failed on " + r.host() + " (exit "
          + r.exitStatus() + "):\n" + r.tail(10));
    }
    return r.stdout();
  }

  /** Single-quotes {@code s} for a POSIX shell. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
