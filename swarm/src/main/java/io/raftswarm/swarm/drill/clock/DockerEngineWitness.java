package io.raftswarm.swarm.drill.clock;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.HostSession;
import io.raftswarm.swarm.remote.HostSessionCache;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EngineWitness} over the same docker-java-over-SSH client provisioning uses
 * ({@link HostSession}): events from {@code GET /events}, {@code State.FinishedAt} from
 * {@code GET /containers/{id}/json}, the clock from {@code GET /info}'s SystemTime. Containers
 * are found by their labels ({@link Labels#ofNode}), as the drills' {@code DockerContainers} finds
 * them. The sessions are the drill's shared ones ({@link HostSessionCache}: opened on first use,
 * reopened after a failure).
 */
public final class DockerEngineWitness implements EngineWitness {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngineWitness.class);
  /** /info readings per host; the tightest bound comes from the fastest, so a few suffice. */
  static final int CLOCK_READINGS = 5;
  /** Docker's "never finished" timestamp. */
  private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final HostSessionCache sessions;
  private final String network;
  private final String runId;
  private final Clock clock;
  private final Map<String, ClockOffset> clocks = new HashMap<>();

  public DockerEngineWitness(NetworkProfile profile, HostSessionCache sessions, Clock clock) {
    this.sessions = sessions;
    this.network = profile.name();
    this.runId = profile.runId();
    this.clock = clock;
  }

  @Override
  public synchronized ClockOffset clock(String host) {
    ClockOffset known = clocks.get(host);
    if (known != null) {
      return known;
    }
    ClockOffset measured;
    try {
      measured = measure(host);
    } catch (RuntimeException e) {
      LOG.warn("clock offset of {}: {}", host, e.getMessage());
      measured = ClockOffset.unknown(host, "its engine's /info could not be read: " + e.getMessage());
    }
    clocks.put(host, measured);
    return measured;
  }

  private ClockOffset measure(String host) {
    List<ClockReading> readings = new ArrayList<>();
    for (int i = 0; i < CLOCK_READINGS; i++) {
      readings.add(withSession(host, s -> {
        Instant sent = clock.instant();
        String systemTime = s.docker().client().infoCmd().exec().getSystemTime();
        Instant received = clock.instant();
        return new ClockReading(sent, parse(systemTime, "/info SystemTime of " + host), received);
      }));
    }
    return ClockOffsets.estimate(host, readings, "/info SystemTime");
  }

  @Override
  public Optional<EngineEvent> event(String host, String container, String action, Instant since, Duration wait) {
    long sinceNanos = nanos(since);
    CompletableFuture<Event> found = new CompletableFuture<>();
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event e) {
        if (timeNano(e) >= sinceNanos) {
          found.complete(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        found.completeExceptionally(t);
      }
    };
    // No `until`: past events are replayed at once and a late one still arrives; the stream is
    // closed as soon as the first match is in (or the wait is over).
    withSession(host, s -> s.docker().client().eventsCmd()
        .withSince(Long.toString(since.getEpochSecond()))
        .withEventTypeFilter(EventType.CONTAINER)
        .withLabelFilter(Labels.ofNode(network, runId, container))
        .withEventFilter(action)
        .exec(callback));
    try {
      Event e = found.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.of(EngineEvent.ofNanos(host, container, action, timeNano(e)));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the event stream of " + host + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      try {
        callback.close();
      } catch (java.io.IOException ignored) {
        // the stream is being abandoned anyway
      }
    }
  }

  @Override
  public Optional<Instant> finishedAt(String host, String container) {
    InspectContainerResponse.ContainerState state = withSession(host, s -> {
      Optional<Container> found = newest(s, container);
      return found.map(c -> s.docker().client().inspectContainerCmd(c.getId()).exec().getState()).orElse(null);
    });
    if (state == null || Boolean.TRUE.equals(state.getRunning()) || state.getFinishedAt() == null) {
      return Optional.empty(); // a running container's FinishedAt is from an earlier run
    }
    Instant t = parse(state.getFinishedAt(), "State.FinishedAt of " + container + " on " + host);
    return t.equals(ZERO_TIME) ? Optional.empty() : Optional.of(t);
  }

  @Override
  public Optional<Noticed> firstLogLine(String host, String container, String text, Instant since) {
    return withSession(host, s -> {
      Optional<Container> found = newest(s, container);
      if (found.isEmpty()) {
        return Optional.<Noticed>empty();
      }
      // The engine's own receipt time of each line (--timestamps), not the orderer's log clock.
      List<String> lines = new ArrayList<>();
      ResultCallback.Adapter<Frame> frames = new ResultCallback.Adapter<>() {
        @Override
        public void onNext(Frame frame) {
          lines.add(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }
      };
      try {
        s.docker().client().logContainerCmd(found.get().getId()).withStdOut(true).withStdErr(true)
            .withTimestamps(true).withSince((int) since.getEpochSecond()).exec(frames)
            .awaitCompletion(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.<Noticed>empty();
      }
      for (String line : lines) {
        int space = line.indexOf(' ');
        if (space > 0 && line.contains(text)) {
          Instant at = parse(line.substring(0, space), "log timestamp of " + container + " on " + host);
          if (!at.isBefore(since)) {
            return Optional.of(new Noticed(host, container, at, line.substring(space + 1).strip()));
          }
        }
      }
      return Optional.<Noticed>empty();
    });
  }

  /** The newest container with the node's labels (a stale one may sit beside its successor). */
  private Optional<Container> newest(HostSession s, String container) {
    return s.docker().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Labels.ofNode(network, runId, container)).exec().stream()
        .max(Comparator.comparing(c -> c.getCreated() == null ? 0L : c.getCreated()));
  }

  /** Runs {@code call} on the host's session; on failure the cache drops it, so the next call reconnects. */
  private <T> T withSession(String host, Function<HostSession, T> call) {
    return sessions.with(host, call);
  }

  static Instant parse(String rfc3339, String what) {
    try {
      // RFC 3339 with nanoseconds, in the engine's own time zone ("Z" or "+02:00")
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalStateException("unreadable " + what + ": " + rfc3339, e);
    }
  }

  private static long timeNano(Event e) {
    // engines before API 1.22 give whole seconds only
    return e.getTimeNano() != null ? e.getTimeNano() : e.getTime() * 1_000_000_000L;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Override
  public void close() {
    sessions.close();
  }
}
