package io.raftswarm.swarm.remote;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * Drains one stream of a long-lived remote shell on its own thread (a command that fills one
 * pipe while we wait on the other would otherwise deadlock) and hands out the bytes up to a
 * marker. A marker is a line the shell prints after each command, so everything before it is
 * exactly what that command printed.
 */
final class OutputBuffer {
  private final byte[] lock = new byte[0];
  private byte[] buf = new byte[8192];
  private int len;
  private int scannedTo; // no marker starts before this index
  private boolean eof;
  private IOException failure;

  OutputBuffer(InputStream in) {
    RemoteThreads.IO.execute(() -> pump(in));
  }

  private void pump(InputStream in) {
    byte[] chunk = new byte[16384];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        synchronized (lock) {
          if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
          }
          System.arraycopy(chunk, 0, buf, len, n);
          len += n;
          lock.notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (lock) {
        failure = e;
      }
    } finally {
      synchronized (lock) {
        eof = true;
        lock.notifyAll();
      }
    }
  }

  /**
   * Removes and returns the bytes before the next {@code marker}, dropping the marker itself.
   *
   * @throws EOFException when the stream ended first (the shell exited); its message holds
   *     what had arrived
   * @throws TimeoutException when {@code deadlineNanos} ({@link System#nanoTime()}) passed first
   */
  byte[] takeUntil(byte[] marker, long deadlineNanos)
      throws IOException, TimeoutException, InterruptedException {
    synchronized (lock) {
      while (true) {
        int at = indexOf(marker);
        if (at >= 0) {
          byte[] before = Arrays.copyOf(buf, at);
          int rest = len - at - marker.length;
          System.arraycopy(buf, at + marker.length, buf, 0, rest);
          len = rest;
          scannedTo = 0;
          return before;
        }
        scannedTo = Math.max(0, len - marker.length + 1);
        if (eof) {
          String seen = new String(buf, 0, Math.min(len, 2000), java.nio.charset.StandardCharsets.UTF_8);
          EOFException e = new EOFException(seen);
          if (failure != null) {
            e.initCause(failure);
          }
          throw e;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private int indexOf(byte[] marker) {
    outer:
    for (int i = scannedTo; i <= len - marker.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (buf[i + j] != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** For messages: what is buffered now, without consuming it. */
  String peek(int max) {
    synchronized (lock) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(buf, 0, Math.min(len, max));
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
