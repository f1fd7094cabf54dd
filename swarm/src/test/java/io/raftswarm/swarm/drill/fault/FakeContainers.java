package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.remote.RemoteHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Containers} in memory: records each call per host ("kill orderer5.example.com",
 * "stop -t 10 a b") and keeps each node's state, so heals see what the drill did. Every
 * container with a process has the pid {@value #PID} (the fake nsenter of {@link FakeHostsShell}
 * then acts on the host "HOST.ns4242"). A node never set up is created by the first call on it.
 */
final class FakeContainers implements Containers {
  static final long PID = 4242;

  private final Map<String, Map<String, String>> status = new LinkedHashMap<>();
  private final Map<String, List<String>> calls = new LinkedHashMap<>();
  /** When set, kill fails with this message, like an engine that refuses. */
  String killFails;

  synchronized void running(String host, String... nodes) {
    set(host, "running", nodes);
  }

  synchronized void paused(String host, String... nodes) {
    set(host, "paused", nodes);
  }

  synchronized void exited(String host, String... nodes) {
    set(host, "exited", nodes);
  }

  /** The lifecycle calls made on {@code host}, in order. */
  synchronized List<String> log(String host) {
    return List.copyOf(calls.getOrDefault(host, List.of()));
  }

  private void set(String host, String state, String... nodes) {
    Map<String, String> m = status.computeIfAbsent(host, h -> new LinkedHashMap<>());
    for (String n : nodes) {
      m.put(n, state);
    }
  }

  private void call(String host, String what, List<String> nodes, String newState) {
    calls.computeIfAbsent(host, h -> new ArrayList<>()).add(what + " " + String.join(" ", nodes));
    set(host, newState, nodes.toArray(String[]::new));
  }

  @Override
  public synchronized void kill(String host, List<String> nodes) {
    if (killFails != null) {
      throw new RemoteHostException(killFails);
    }
    call(host, "kill", nodes, "exited");
  }

  @Override
  public synchronized void stop(String host, List<String> nodes, Duration grace) {
    call(host, "stop -t " + grace.toSeconds(), nodes, "exited");
  }

  @Override
  public synchronized void start(String host, List<String> nodes) {
    call(host, "start", nodes, "running");
  }

  @Override
  public synchronized void pause(String host, List<String> nodes) {
    call(host, "pause", nodes, "paused");
  }

  @Override
  public synchronized void unpause(String host, List<String> nodes) {
    call(host, "unpause", nodes, "running");
  }

  @Override
  public synchronized List<ContainerState> states(String host) {
    List<ContainerState> out = new ArrayList<>();
    status.getOrDefault(host, Collections.emptyMap()).forEach((node, s) -> out.add(
        new ContainerState(node, s, s.equals("running") || s.equals("paused") ? PID : 0)));
    return out;
  }

  @Override
  public void close() {}
}
