package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.HostSession;
import io.raftswarm.swarm.remote.SshHost;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link HostShell} over SSH to the network's hosts (logins from network.json); connects on first use, reconnects when dropped. */
public final class SshHostShell implements HostShell {
  private final NetworkProfile profile;
  private final Map<String, SshHost> connections = new HashMap<>();

  public SshHostShell(NetworkProfile profile) {
    this.profile = profile;
  }

  @Override
  public ExecResult exec(String host, String command, Duration timeout) {
    return connection(host).shell().exec(command, timeout);
  }

  @Override
  public boolean isRoot(String host) {
    HostAccess.Ssh ssh = profile.host(host).ssh();
    return ssh != null && "root".equals(ssh.user());
  }

  private synchronized SshHost connection(String host) {
    SshHost ssh = connections.get(host);
    if (ssh == null || !ssh.isConnected()) {
      if (ssh != null) {
        ssh.close();
      }
      ssh = SshHost.connect(HostSession.target(profile.host(host)));
      connections.put(host, ssh);
    }
    return ssh;
  }

  @Override
  public synchronized void close() {
    connections.values().forEach(SshHost::close);
    connections.clear();
  }
}
