package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.remote.ExecResult;
import java.time.Duration;

/**
 * Runs shell commands on the network's hosts, as the operator would over SSH. Thread-safe.
 * Implementations reconnect after a dropped connection, so healing still works after an SSH
 * drop in the middle of a drill.
 */
public interface HostShell extends AutoCloseable {

  /** Runs {@code command} on {@code host}; throws only when the host cannot be reached. */
  ExecResult exec(String host, String command, Duration timeout);

  /** True when commands on {@code host} run as root (else iptables is prefixed with sudo -n). */
  boolean isRoot(String host);

  @Override
  void close();

  /** For commands that never run anything on the hosts: every command fails saying {@code why}. */
  static HostShell none(String why) {
    return new HostShell() {
      @Override
      public ExecResult exec(String host, String command, Duration timeout) {
        throw new IllegalStateException("no commands on hosts: " + why);
      }

      @Override
      public boolean isRoot(String host) {
        return true;
      }

      @Override
      public void close() {}
    };
  }
}
