package io.raftswarm.swarm.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.schmizz.sshj.connection.channel.OpenFailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens byte streams to a host's Docker socket over its SSH connection: a
 * {@code direct-streamlocal@openssh.com} channel when sshd allows it (1–5 ms each), else
 * {@code docker system dial-stdio} (for {@code AllowStreamLocalForwarding no}; ~200 ms each).
 * Once streamlocal is refused, later opens go straight to the fallback.
 */
final class DockerSocketChannels {
  private static final Logger log = LoggerFactory.getLogger(DockerSocketChannels.class);

  private final SshHost host;
  private final String socketPath;
  private volatile boolean streamLocalRefused;

  DockerSocketChannels(SshHost host, String socketPath) {
    this.host = host;
    this.socketPath = socketPath;
  }

  DuplexStream open() throws IOException {
    if (!streamLocalRefused) {
      StreamLocalChannel ch = new StreamLocalChannel(host.client().getConnection(), socketPath);
      try {
        ch.open();
        return new ChannelStream(ch, ch.getInputStream(), ch.getOutputStream());
      } catch (OpenFailException e) {
        if (e.getReason() == OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED) {
          log.info("{} refuses streamlocal forwarding ({}); using 'docker system dial-stdio'",
              host, e.getMessage());
          streamLocalRefused = true;
        } else {
          // CONNECT_FAILED: the socket is missing or dockerd is down; the fallback would fail too.
          throw new IOException("cannot connect to " + socketPath + " on " + host + ": "
              + e.getMessage(), e);
        }
      }
    }
    return ShellStream.open(host, "docker -H " + RemoteShell.quote("unix://" + socketPath)
        + " system dial-stdio");
  }

  String socketPath() {
    return socketPath;
  }
}
