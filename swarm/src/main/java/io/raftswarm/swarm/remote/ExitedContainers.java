package io.raftswarm.swarm.remote;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A wait's fail-fast check: a container that exited will never get healthy, and its last log
 * lines usually say why.
 */
public final class ExitedContainers {
  private ExitedContainers() {}

  /**
   * The first container carrying {@code labels} on {@code host} that has exited or died:
   * "container NAME on HOST exited (STATUS); last log lines: ...".
   */
  public static Optional<String> first(DockerClient client, Map<String, String> labels, String host) {
    List<Container> dead = client.listContainersCmd().withShowAll(true).withLabelFilter(labels)
        .withStatusFilter(List.of("exited", "dead")).exec();
    if (dead.isEmpty()) {
      return Optional.empty();
    }
    Container c = dead.get(0);
    String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
    return Optional.of("container " + name + " on " + host + " exited (" + c.getStatus() + "); last log lines:\n"
        + ContainerLogs.tail(client, c.getId(), 20));
  }
}
