package io.raftswarm.swarm.remote;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ShellSession}s of one host: started on demand, reused, at most {@link #MAX} at a
 * time (concurrent logins are what a locking ~/.bashrc serializes, so they are kept few).
 *
 * <p>Budgets come from what this host measured, not one fixed number: starting a session
 * costs whatever the login shell's startup files cost (measured on the first start, which gets
 * {@link #FIRST_START} because nothing is known yet); a command gets the caller's own budget
 * for its work plus a few measured round trips through the session for the transport.
 */
final class ShellSessionPool implements AutoCloseable {
  static final int MAX = 4;
  static final Duration FIRST_START = Duration.ofSeconds(60);

  private final SshHost host;
  private final Duration firstStart;
  private final Deque<ShellSession> idle = new ArrayDeque<>();
  private int open;
  private boolean closed;
  private long slowestStartNanos = -1;
  private long roundTripNanos = -1;

  ShellSessionPool(SshHost host, Duration firstStart) {
    this.host = host;
    this.firstStart = firstStart;
  }

  /** Runs one command; see {@link RemoteShell#exec(String, byte[], Duration)}. */
  ExecResult exec(String command, byte[] input, Duration timeout) {
    String where = host.target().label();
    long start = System.nanoTime();
    ShellSession s = acquire(timeout);
    long commandBudget = timeout.toNanos() + transportAllowanceNanos();
    boolean reusable = false;
    try {
      ExecResult r = s.run(command, input, System.nanoTime() + commandBudget);
      reusable = true;
      return r;
    } catch (TimeoutException e) {
      throw new RemoteHostException("command on " + where + " did not finish within "
          + ShellSession.seconds(commandBudget) + " s (its own budget " + timeout.toMillis()
          + " ms + " + transportAllowanceNanos() / 1_000_000 + " ms for the SSH round trips; "
          + (System.nanoTime() - start) / 1_000_000 + " ms in all, including waiting for a"
          + " session): " + command, e);
    } catch (EOFException e) {
      throw new RemoteHostException("the shell on " + where + " went away while running '"
          + command + "'" + (host.isConnected() ? "" : " (connection lost; re-run)"), e);
    } catch (IOException e) {
      throw new RemoteHostException("cannot run '" + command + "' on " + where + ": "
          + e.getMessage() + (host.isConnected() ? "" : " (connection lost; re-run)"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteHostException("interrupted while running on " + where + ": " + command, e);
    } finally {
      release(s, reusable);
    }
  }

  /**
   * A free session, or a new one when fewer than {@link #MAX} are open; else waits for one.
   * The wait is bounded by what the busy sessions may still take.
   */
  private ShellSession acquire(Duration commandTimeout) {
    long deadline = System.nanoTime() + startBudgetNanos() + commandTimeout.toNanos()
        + transportAllowanceNanos();
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new RemoteHostException("connection to " + host.target().label() + " is closed");
        }
        while (!idle.isEmpty()) {
          ShellSession s = idle.pollFirst();
          if (s.usable()) {
            return s;
          }
          s.close();
          open--;
        }
        if (open < MAX) {
          open++;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new RemoteHostException("all " + MAX + " shell sessions on "
              + host.target().label() + " stayed busy for "
              + ShellSession.seconds(startBudgetNanos() + commandTimeout.toNanos()) + " s");
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RemoteHostException("interrupted while waiting for a shell on "
              + host.target().label(), e);
        }
      }
    }
    long t0 = System.nanoTime();
    try {
      ShellSession s = ShellSession.start(host, startBudgetNanos());
      long started = System.nanoTime() - t0;
      measureRoundTrip(s);
      synchronized (this) {
        slowestStartNanos = Math.max(slowestStartNanos, started);
      }
      return s;
    } catch (RuntimeException e) {
      synchronized (this) {
        open--;
        notifyAll();
      }
      throw e;
    }
  }

  private void measureRoundTrip(ShellSession s) {
    long t0 = System.nanoTime();
    try {
      s.run("", null, t0 + Duration.ofSeconds(30).toNanos());
    } catch (IOException | TimeoutException e) {
      s.close();
      throw new RemoteHostException("the shell on " + host.target().label()
          + " stopped answering right after it started: " + e, e);
    } catch (InterruptedException e) {
      s.close();
      Thread.currentThread().interrupt();
      throw new RemoteHostException("interrupted", e);
    }
    long rtt = System.nanoTime() - t0;
    synchronized (this) {
      roundTripNanos = roundTripNanos < 0 ? rtt : Math.min(roundTripNanos, rtt);
    }
  }

  private synchronized void release(ShellSession s, boolean reusable) {
    if (reusable && !closed && s.usable()) {
      idle.addFirst(s);
    } else {
      s.close();
      open--;
    }
    notifyAll();
  }

  /**
   * What starting a session may take: {@link #FIRST_START} before anything is measured; afterwards 10 s plus
   * {@link #MAX} times the slowest start seen (starts may queue behind a locking rc file).
   */
  synchronized long startBudgetNanos() {
    if (slowestStartNanos < 0) {
      return firstStart.toNanos();
    }
    return Duration.ofSeconds(10).toNanos() + (long) MAX * slowestStartNanos;
  }

  /** Transport time on top of a command's own budget: 1 s plus 5 measured round trips. */
  synchronized long transportAllowanceNanos() {
    return Duration.ofSeconds(1).toNanos() + 5 * Math.max(0, roundTripNanos);
  }

  /** What this host measured, for progress lines: slowest session start and best round trip. */
  synchronized String measured() {
    if (slowestStartNanos < 0) {
      return "no shell started yet";
    }
    return String.format("login shell start %.0f ms, round trip %.1f ms",
        slowestStartNanos / 1e6, roundTripNanos / 1e6);
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.forEach(ShellSession::close);
    idle.clear();
    notifyAll();
  }
}
