package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.remote.HostSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The open sessions to every host of a network, in plan order, plus a helper that runs
 * an action on every host in parallel and reports all hosts' failures together.
 */
public final class HostSessions implements AutoCloseable {
  private final List<HostSession> sessions;

  private HostSessions(List<HostSession> sessions) {
    this.sessions = List.copyOf(sessions);
  }

  /** Connects to all hosts in parallel; if any fails, closes the others and throws. */
  public static HostSessions open(List<HostAccess> hosts) {
    List<CompletableFuture<HostSession>> futures = hosts.stream()
        .map(h -> CompletableFuture.supplyAsync(() -> HostSession.open(h), ProvisionThreads.POOL))
        .toList();
    List<HostSession> opened = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Throwable first = null;
    for (var f : futures) {
      try {
        opened.add(f.join());
      } catch (CompletionException e) {
        errors.add(e.getCause().getMessage());
        first = first == null ? e.getCause() : first;
      }
    }
    if (!errors.isEmpty()) {
      opened.forEach(HostSession::close);
      throw new UserError(String.join("\n  ", errors), first);
    }
    return new HostSessions(opened);
  }

  public List<HostSession> all() {
    return sessions;
  }

  public HostSession get(String hostName) {
    return sessions.stream().filter(s -> s.name().equals(hostName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no session for host " + hostName));
  }

  /** Runs {@code action} on every host in parallel; results in inventory order. */
  public <R> List<R> onEach(Function<HostSession, R> action) {
    List<CompletableFuture<R>> futures = sessions.stream()
        .map(s -> CompletableFuture.supplyAsync(() -> action.apply(s), ProvisionThreads.POOL))
        .toList();
    List<R> results = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Throwable first = null;
    for (int i = 0; i < futures.size(); i++) {
      try {
        results.add(futures.get(i).join());
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        String msg = cause instanceof UserError ? cause.getMessage() : cause.toString();
        errors.add(sessions.get(i).name() + ": " + msg);
        first = first == null ? cause : first;
      }
    }
    if (!errors.isEmpty()) {
      throw new UserError(String.join("\n  ", errors), first);
    }
    return results;
  }

  public void forEach(Consumer<HostSession> action) {
    onEach(s -> {
      action.accept(s);
      return null;
    });
  }

  @Override
  public void close() {
    sessions.forEach(HostSession::close);
  }
}
