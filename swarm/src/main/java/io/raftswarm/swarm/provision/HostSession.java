package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.remote.RemoteDocker;
import io.raftswarm.swarm.remote.SshHost;
import io.raftswarm.swarm.remote.SshTarget;

/** One inventory host with its open SSH connection and Docker client (over that SSH). */
public record HostSession(Inventory.Host host, SshHost ssh, RemoteDocker docker)
    implements AutoCloseable {

  public String name() {
    return host.name();
  }

  /** The SSH target an inventory host describes. */
  public static SshTarget target(Inventory.Host h) {
    Inventory.Ssh s = h.ssh();
    return new SshTarget(h.address(), s.port(), s.user(), s.key(), s.knownHosts().orElse(null),
        s.hostKeyFingerprint().orElse(null), SshTarget.DEFAULT_CONNECT_TIMEOUT);
  }

  /** Connects over SSH and opens the Docker client; throws naming the host on failure. */
  public static HostSession open(Inventory.Host h) {
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
