package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.provision.HostSession;
import io.raftswarm.swarm.remote.ExecResult;
import io.raftswarm.swarm.remote.SshHost;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link HostShell} over SSH to the inventory's hosts; connects on first use, reconnects when dropped. */
public final class SshHostShell implements HostShell {
  private final Inventory inventory;
  private final Map<String, SshHost> connections = new HashMap<>();

  public SshHostShell(Inventory inventory) {
    this.inventory = inventory;
  }

  @Override
  public ExecResult exec(String host, String command, Duration timeout) {
    return connection(host).shell().exec(command, timeout);
  }

  @Override
  public boolean isRoot(String host) {
    return "root".equals(inventory.host(host).ssh().user());
  }

  private synchronized SshHost connection(String host) {
    SshHost ssh = connections.get(host);
    if (ssh == null || !ssh.isConnected()) {
      if (ssh != null) {
        ssh.close();
      }
      ssh = SshHost.connect(HostSession.target(inventory.host(host)));
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
