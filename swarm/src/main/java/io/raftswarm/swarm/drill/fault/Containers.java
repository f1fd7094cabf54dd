package io.raftswarm.swarm.drill.fault;

import java.time.Duration;
import java.util.List;

/**
 * The lifecycle of a network's node containers on its hosts, as {@code docker kill/stop/start/
 * pause/unpause} would drive it, with the containers named by their node (FQDN). Each call acts
 * on every named node it can and then fails naming the host and each node it could not act on
 * (unknown or refusing containers), like the docker CLI given several names. Thread-safe;
 * implementations reconnect after a dropped connection, so healing still works after an SSH drop
 * in the middle of a drill.
 */
public interface Containers extends AutoCloseable {

  /** SIGKILL to each node's container on {@code host}: no graceful shutdown. */
  void kill(String host, List<String> nodes);

  /** SIGTERM, then SIGKILL after {@code grace}; a stopped container is left alone. */
  void stop(String host, List<String> nodes, Duration grace);

  /** Starts each node's container; a running one is left alone. */
  void start(String host, List<String> nodes);

  /** Freezes every process of each node's container (cgroup freezer). */
  void pause(String host, List<String> nodes);

  /** Thaws each paused node's container. */
  void unpause(String host, List<String> nodes);

  /** The network's node containers on {@code host}, whatever their state. */
  List<ContainerState> states(String host);

  @Override
  void close();

  /** For commands that never touch containers: every call fails saying {@code why}. */
  static Containers none(String why) {
    return new Containers() {
      @Override
      public void kill(String host, List<String> nodes) {
        throw refused();
      }

      @Override
      public void stop(String host, List<String> nodes, Duration grace) {
        throw refused();
      }

      @Override
      public void start(String host, List<String> nodes) {
        throw refused();
      }

      @Override
      public void pause(String host, List<String> nodes) {
        throw refused();
      }

      @Override
      public void unpause(String host, List<String> nodes) {
        throw refused();
      }

      @Override
      public List<ContainerState> states(String host) {
        throw refused();
      }

      private IllegalStateException refused() {
        return new IllegalStateException("no containers to drive: " + why);
      }

      @Override
      public void close() {}
    };
  }
}
