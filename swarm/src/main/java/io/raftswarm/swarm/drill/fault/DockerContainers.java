package io.raftswarm.swarm.drill.fault;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.HostSessionCache;
import io.raftswarm.swarm.remote.RemoteHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Containers} through each host's Docker engine API over SSH — the same docker-java client
 * provisioning uses ({@link HostSessionCache}). Containers are found by their labels
 * ({@link Labels#NETWORK}, {@link Labels#NODE}, and {@link Labels#RUN} when network.json records
 * a run id), never by name: a container renamed or left over from another network is not touched.
 *
 * <p>The containers named in one call are acted on in parallel, as the docker CLI does for
 * {@code docker stop a b c}: stopping every orderer of a host takes one grace period, not one each.
 */
public final class DockerContainers implements Containers {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainers.class);
  /** How long an engine may take to answer one call (plus the grace period of a stop). */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final HostSessionCache sessions;
  private final Map<String, String> networkFilter;
  // Engine calls block (a stop for its grace period): own threads, not the common pool.
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "drill-docker-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  public DockerContainers(NetworkProfile profile, HostSessionCache sessions) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.networkFilter = Labels.ofNetwork(profile.name(), profile.runId());
  }

  /** The error for a node without a container on {@code host}: what was looked for, where, and the likely cause. */
  static String notFound(Map<String, String> networkFilter, String node, String host) {
    String also = networkFilter.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
    return "no container labelled " + Labels.NODE + "=" + node + " (and " + also + ") on host " + host
        + "; was the network provisioned from this network.json?";
  }

  @Override
  public void kill(String host, List<String> nodes) {
    each(host, nodes, "kill", (docker, id) -> docker.killContainerCmd(id).withSignal("KILL").exec(), Duration.ZERO);
  }

  @Override
  public void stop(String host, List<String> nodes, Duration grace) {
    each(host, nodes, "stop", (docker, id) -> {
      try {
        docker.stopContainerCmd(id).withTimeout((int) grace.toSeconds()).exec();
      } catch (NotModifiedException alreadyStopped) {
        // 304: already stopped; docker stop succeeds too
      }
    }, grace);
  }

  @Override
  public void start(String host, List<String> nodes) {
    each(host, nodes, "start", (docker, id) -> {
      try {
        docker.startContainerCmd(id).exec();
      } catch (NotModifiedException alreadyRunning) {
        // 304: already running; docker start succeeds too
      }
    }, Duration.ZERO);
  }

  @Override
  public void pause(String host, List<String> nodes) {
    each(host, nodes, "pause", (docker, id) -> docker.pauseContainerCmd(id).exec(), Duration.ZERO);
  }

  @Override
  public void unpause(String host, List<String> nodes) {
    each(host, nodes, "unpause", (docker, id) -> docker.unpauseContainerCmd(id).exec(), Duration.ZERO);
  }

  @Override
  public List<ContainerState> states(String host) {
    Map<String, Container> byNode = find(host);
    List<ContainerState> states = new ArrayList<>();
    for (Map.Entry<String, Container> e : byNode.entrySet()) {
      String status = e.getValue().getState();
      long pid = 0;
      if ("running".equals(status) || "paused".equals(status)) {
        // the list does not carry the pid; only a container with a process has one
        InspectContainerResponse.ContainerState s = sessions.with(host,
            session -> session.docker().client().inspectContainerCmd(e.getValue().getId()).exec().getState());
        pid = s == null || s.getPidLong() == null ? 0 : s.getPidLong();
      }
      states.add(new ContainerState(e.getKey(), status, pid));
    }
    return states;
  }

  /** The network's containers on {@code host} by node. */
  private Map<String, Container> find(String host) {
    return byNode(host, sessions.with(host, s -> s.docker().client().listContainersCmd()
        .withShowAll(true).withLabelFilter(networkFilter).exec()));
  }

  /**
   * The containers by their node label; one without it is not a node (e.g. an operator's probe
   * on the network) and is left out. A node with several (a stale one next to its successor):
   * the newest.
   */
  static Map<String, Container> byNode(String host, List<Container> all) {
    Map<String, Container> byNode = new LinkedHashMap<>();
    all.stream()
        .filter(c -> c.getLabels() != null && c.getLabels().get(Labels.NODE) != null)
        .sorted(Comparator.comparing(c -> c.getCreated() == null ? 0L : c.getCreated()))
        .forEach(c -> {
          Container older = byNode.put(c.getLabels().get(Labels.NODE), c);
          if (older != null) {
            LOG.warn("{}: several containers labelled {}={}; using the newest, {}", host, Labels.NODE,
                c.getLabels().get(Labels.NODE), c.getId());
          }
        });
    return byNode;
  }

  /**
   * Runs {@code call} on each node's container in parallel; then fails naming every node it
   * could not find or act on.
   */
  private void each(String host, List<String> nodes, String verb, BiConsumer<DockerClient, String> call,
      Duration grace) {
    Map<String, Container> byNode = find(host);
    List<String> errors = new ArrayList<>();
    Map<String, Future<?>> runs = new LinkedHashMap<>();
    for (String node : nodes) {
      Container c = byNode.get(node);
      if (c == null) {
        errors.add(notFound(networkFilter, node, host));
        continue;
      }
      runs.put(node, pool.submit(() -> sessions.with(host, s -> {
        call.accept(s.docker().client(), c.getId());
        return null;
      })));
    }
    Duration limit = CALL_TIMEOUT.plus(grace);
    for (Map.Entry<String, Future<?>> r : runs.entrySet()) {
      try {
        r.getValue().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        errors.add(verb + " " + r.getKey() + ": " + e.getCause().getMessage());
      } catch (TimeoutException e) {
        r.getValue().cancel(true);
        errors.add(verb + " " + r.getKey() + ": the Docker engine on " + host + " did not answer within "
            + limit.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RemoteHostException(verb + " on " + host + " interrupted", e);
      }
    }
    if (!errors.isEmpty()) {
      throw new RemoteHostException(String.join("; ", errors));
    }
  }

  /**
   * Closes the sessions; the pool's idle daemon threads end by themselves. A later call still
   * works (opening new sessions): a drill's shutdown-hook heal may run after its setup closed.
   */
  @Override
  public void close() {
    sessions.close();
  }
}
