package io.raftswarm.swarm.remote;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * A long-running remote command used as a byte stream (e.g. {@code docker system dial-stdio}),
 * started in a clean sh like {@link ShellSession}'s commands. The clean sh prints a start
 * marker and then becomes the command; whatever the login shell's startup files printed before
 * the marker is skipped, so it cannot corrupt the stream.
 */
final class ShellStream {
  private static final byte[] START = "\u001eRS-stream-start\n".getBytes(StandardCharsets.US_ASCII);

  private ShellStream() {}

  static DuplexStream open(SshHost host, String command) throws IOException {
    Session session = host.client().startSession();
    try {
      Session.Command cmd = session.exec(ShellSession.cleanExec("-c "
          + RemoteShell.quote("printf '\\036RS-stream-start\\n'; exec " + command)));
      skipPastStart(host, cmd.getInputStream());
      return new ChannelStream(session, cmd.getInputStream(), cmd.getOutputStream());
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Bounded like a session start: the login shell's startup files run first. */
  private static void skipPastStart(SshHost host, InputStream in) throws IOException {
    Future<?> skip = RemoteThreads.IO.submit(() -> {
      int matched = 0;
      while (matched < START.length) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("the login shell on " + host + " exited before the command ran");
        }
        matched = b == START[matched] ? matched + 1 : (b == START[0] ? 1 : 0);
      }
      return null;
    });
    long budget = ShellSessionPool.FIRST_START.toSeconds();
    try {
      skip.get(budget, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      skip.cancel(true);
      throw new IOException("the login shell on " + host + " did not start the command within "
          + budget + " s (its startup files run first)", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting a command on " + host, e);
    }
  }
}
