package io.raftswarm.swarm.drill.fault;

/**
 * A network container on a host as its engine sees it now.
 *
 * @param node the node it runs (its {@code io.raftswarm.node} label), e.g. orderer3.example.com
 * @param status the engine's state: created, running, paused, restarting, removing, exited, dead
 * @param pid its main process on the host, 0 when it has none (not running); a paused container
 *     keeps its process, and so its network namespace
 */
public record ContainerState(String node, String status, long pid) {
  public boolean running() {
    return "running".equals(status);
  }

  public boolean paused() {
    return "paused".equals(status);
  }

  /** True when its network namespace can be entered ({@code nsenter -t pid -n}). */
  public boolean hasProcess() {
    return pid > 0;
  }
}
