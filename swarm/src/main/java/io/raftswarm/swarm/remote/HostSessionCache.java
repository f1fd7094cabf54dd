package io.raftswarm.swarm.remote;

import com.github.dockerjava.api.exception.DockerException;
import io.raftswarm.swarm.network.HostAccess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One {@link HostSession} per host, opened on first use and reopened after it broke, shared by
 * everything a drill does on the hosts (shell scripts, container lifecycle, the engines'
 * records): one SSH connection per host instead of one per user, and an SSH drop in the middle of
 * a drill costs one reconnect, after which healing still works.
 *
 * <p>Thread-safe; hosts open independently (a slow host does not hold up the others). Every user
 * may close it (the drill closes them all together at its end): closing closes the open
 * sessions, and a later use opens a new one — the heal of a drill's shutdown hook may still run
 * after the drill closed its setup, and must reach the hosts.
 */
public final class HostSessionCache implements AutoCloseable {
  private final Function<String, HostAccess> hosts;
  private final Map<String, Slot> slots = new HashMap<>();

  /**
   * @param hosts the host's access by its name, e.g. {@code NetworkProfile::host} (which fails
   *     naming the network's hosts when there is no such host)
   */
  public HostSessionCache(Function<String, HostAccess> hosts) {
    this.hosts = Objects.requireNonNull(hosts, "hosts");
  }

  /**
   * Runs {@code call} on the host's session. A failure other than an answer of the Docker engine
   * (which proves the connection works) drops the session, so the next call reconnects.
   */
  public <T> T with(String host, Function<HostSession, T> call) {
    Slot slot = slot(host);
    HostSession s = slot.session();
    try {
      return call.apply(s);
    } catch (DockerException e) {
      throw e; // the engine answered (no such container, conflict, ...): the session is fine
    } catch (RuntimeException e) {
      slot.drop(s);
      throw e;
    }
  }

  private synchronized Slot slot(String host) {
    return slots.computeIfAbsent(host, Slot::new);
  }

  @Override
  public void close() {
    List<Slot> all;
    synchronized (this) {
      all = List.copyOf(slots.values());
      slots.clear();
    }
    all.forEach(Slot::close);
  }

  /** One host's session; its own lock, so connecting to one host does not block the others. */
  private final class Slot {
    private final String host;
    private HostSession session;

    Slot(String host) {
      this.host = host;
    }

    synchronized HostSession session() {
      if (session != null && !session.ssh().isConnected()) {
        session.close(); // dropped (e.g. sshd restarted): reconnect instead of failing
        session = null;
      }
      if (session == null) {
        session = HostSession.open(hosts.apply(host));
      }
      return session;
    }

    synchronized void drop(HostSession broken) {
      if (session == broken) {
        session = null;
        broken.close();
      }
    }

    synchronized void close() {
      if (session != null) {
        session.close();
        session = null;
      }
    }
  }
}
