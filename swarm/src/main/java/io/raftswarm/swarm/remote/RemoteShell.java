package io.raftswarm.swarm.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * Runs shell commands on one host. stdout and stderr are drained concurrently (a command that
 * fills one pipe while we block on the other would otherwise deadlock), and every call has a
 * timeout. Safe to use from several threads; each call opens its own SSH session channel.
 */
public final class RemoteShell {
  private final SshHost host;

  RemoteShell(SshHost host) {
    this.host = host;
  }

  /** Runs {@code command}; returns its output and exit status without judging it. */
  public ExecResult exec(String command, Duration timeout) {
    return exec(command, null, timeout);
  }

  /** Like {@link #exec(String, Duration)} with {@code stdin} written to the command first. */
  public ExecResult exec(String command, byte[] stdin, Duration timeout) {
    String where = host.target().label();
    try (Session session = host.client().startSession()) {
      Session.Command cmd = session.exec(command);
      CompletableFuture<byte[]> out = drain(cmd.getInputStream());
      CompletableFuture<byte[]> err = drain(cmd.getErrorStream());
      try (var in = cmd.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] stdout = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
      byte[] stderr = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
      cmd.join(Math.max(1, remaining(deadline) / 1_000_000), TimeUnit.MILLISECONDS);
      Integer status = cmd.getExitStatus();
      return new ExecResult(where, command, status == null ? -1 : status,
          new String(stdout, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      throw new RemoteHostException("command on " + where + " did not finish within "
          + timeout.toSeconds() + " s: " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteHostException("interrupted while running on " + where + ": " + command, e);
    } catch (ExecutionException e) {
      throw new RemoteHostException("reading output of '" + command + "' on " + where + " failed: "
          + e.getCause(), e.getCause());
    } catch (IOException e) {
      throw new RemoteHostException("cannot run '" + command + "' on " + where + ": " + e.getMessage()
          + (host.isConnected() ? "" : " (connection lost; re-run)"), e);
    }
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

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, RemoteThreads.IO);
  }
}
