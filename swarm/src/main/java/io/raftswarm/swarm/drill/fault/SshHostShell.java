package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.HostSessionCache;
import java.time.Duration;

/**
 * {@link HostShell} over SSH to the network's hosts (logins from network.json), on the drill's
 * shared sessions: connects on first use, reconnects when dropped.
 */
public final class SshHostShell implements HostShell {
  private final NetworkProfile profile;
  private final HostSessionCache sessions;

  public SshHostShell(NetworkProfile profile, HostSessionCache sessions) {
    this.profile = profile;
    this.sessions = sessions;
  }

  @Override
  public ExecResult exec(String host, String command, Duration timeout) {
    return sessions.with(host, s -> s.ssh().shell().exec(command, timeout));
  }

  @Override
  public boolean isRoot(String host) {
    HostAccess.Ssh ssh = profile.host(host).ssh();
    return ssh != null && "root".equals(ssh.user());
  }

  @Override
  public void close() {
    sessions.close();
  }
}
