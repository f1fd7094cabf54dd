package io.raftswarm.swarm.remote;

import io.raftswarm.swarm.network.HostAccess;
import java.nio.file.Path;

/** One host of the network with its open SSH connection and Docker client (over that SSH). */
public record HostSession(HostAccess host, SshHost ssh, RemoteDocker docker)
    implements AutoCloseable {

  public String name() {
    return host.name();
  }

  /**
   * The SSH target of a host; fails naming the host when its access has no SSH login (a
   * {@code network.json} written before logins were recorded: render it again).
   */
  public static SshTarget target(HostAccess h) {
    HostAccess.Ssh s = h.ssh();
    if (s == null && h.invite()) {
      throw new RemoteHostException(h.name() + " is an invited host (its operator joined it with raftswarm join) and"
          + " the inventory gives no ssh: login for it, so this command cannot act on it; add its ssh: (if its"
          + " operator grants one) and render again, or leave it out");
    }
    if (s == null) {
      throw new RemoteHostException(h.name() + ": network.json has no SSH login for this host (written by an"
          + " older raftswarm); run raftswarm render or provision again to record it");
    }
    return new SshTarget(h.address(), s.port(), s.user(), Path.of(s.key()),
        s.knownHosts() == null ? null : Path.of(s.knownHosts()), s.hostKeyFingerprint(),
        SshTarget.DEFAULT_CONNECT_TIMEOUT);
  }

  /** Connects over SSH and opens the Docker client; throws naming the host on failure. */
  public static HostSession open(HostAccess h) {
    SshHost ssh = SshHost.connect(target(h));
    try {
      return new HostSession(h, ssh, RemoteDocker.open(ssh, h.dockerSocket()));
    } catch (RuntimeException e) {
      ssh.close();
      throw e;
    }
  }

  @Override
  public void close() {
    docker.close();
    ssh.close();
  }
}
