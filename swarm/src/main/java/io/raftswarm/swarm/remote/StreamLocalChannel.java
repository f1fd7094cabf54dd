package io.raftswarm.swarm.remote;

import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.channel.direct.AbstractDirectChannel;

/**
 * OpenSSH's {@code direct-streamlocal@openssh.com} channel: a byte stream to a Unix socket on
 * the remote host (like {@code ssh -L local.sock:/var/run/docker.sock}). sshj only ships the
 * TCP variant; the open request differs only in its payload: socket path, a reserved string and
 * a reserved uint32 (PROTOCOL, section 2.4).
 */
final class StreamLocalChannel extends AbstractDirectChannel {
  static final String TYPE = "direct-streamlocal@openssh.com";

  private final String socketPath;

  StreamLocalChannel(Connection conn, String socketPath) {
    super(conn, TYPE);
    this.socketPath = socketPath;
  }

  @Override
  protected SSHPacket buildOpenReq() {
    return super.buildOpenReq().putString(socketPath).putString("").putUInt32(0);
  }
}
