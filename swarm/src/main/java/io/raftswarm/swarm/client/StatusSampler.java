package io.raftswarm.swarm.client;

import io.raftswarm.common.status.StatusJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every orderer's {@code /status} (plain HTTP on the operations endpoint) every
 * {@code interval}, all orderers concurrently; each round's samples carry the round's start
 * time and the time each answer arrived. A slow or dead orderer costs at most {@code timeout} and is recorded as unreachable.
 * Scheduled rounds do not wait for each other's answers: an orderer whose previous poll is still
 * outstanding (a frozen container accepts the connection and never answers) is skipped in the
 * next rounds instead of holding every other orderer's samples back to its timeout.
 *
 * <p>Threading: one internal scheduler thread plus the HTTP client's; {@link #samples()} may be
 * called at any time from any thread and returns a copy. Bounded by {@code maxDuration}: it stops
 * by itself even if {@link #close()} is never called.
 */
public final class StatusSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusSampler.class);

  private final Map<String, URI> statusUris = new LinkedHashMap<>();
  private final Duration interval;
  private final Duration timeout;
  private final Duration maxDuration;
  private final Clock clock;
  private final HttpClient http;
  private final ScheduledExecutorService thread;
  private final List<StatusSample> samples = Collections.synchronizedList(new ArrayList<>());
  private final java.util.Set<String> outstanding = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private Instant stopAt;

  /** @param operationsEndpoints orderer name → {@code host:port} of its operations endpoint */
  public StatusSampler(Map<String, String> operationsEndpoints, Duration interval, Duration timeout,
      Duration maxDuration, Clock clock) {
    operationsEndpoints.forEach((node, hostPort) ->
        statusUris.put(node, URI.create("http://" + hostPort + "/status")));
    this.interval = Objects.requireNonNull(interval, "interval");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "drill-status-sampler");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "drill-status-http");
      t.setDaemon(true);
      return t;
    })).build();
  }

  public void start() {
    stopAt = clock.instant().plus(maxDuration);
    thread.scheduleAtFixedRate(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One synchronous poll of every orderer, outside the schedule or from it. Its samples join
   * the timeline too: a drill's own checks (e.g. the poll that found convergence) are
   * observations the timeline must show.
   */
  public Map<String, StatusSample> pollOnce() {
    Instant at = clock.instant();
    Map<String, CompletableFuture<StatusSample>> futures = new LinkedHashMap<>();
    statusUris.forEach((node, uri) -> futures.put(node, fetch(node, uri, at)));
    Map<String, StatusSample> out = new LinkedHashMap<>();
    futures.forEach((node, f) -> out.put(node, f.join()));
    samples.addAll(out.values());
    return out;
  }

  private void round() {
    if (clock.instant().isAfter(stopAt)) {
      LOG.warn("status sampler: reached its limit of {}, stopping", maxDuration);
      thread.shutdown();
      return;
    }
    Instant at = clock.instant();
    statusUris.forEach((node, uri) -> {
      if (!outstanding.add(node)) {
        return; // its previous poll still waits for an answer; don't pile up requests
      }
      fetch(node, uri, at).whenComplete((sample, e) -> {
        if (sample != null) {
          samples.add(sample);
        }
        outstanding.remove(node);
      });
    });
  }

  private CompletableFuture<StatusSample> fetch(String node, URI uri, Instant at) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(resp -> {
          Instant answered = answeredAt(at);
          if (resp.statusCode() != 200) {
            return new StatusSample(at, node, null, "HTTP " + resp.statusCode() + " from " + uri, answered);
          }
          try {
            return new StatusSample(at, node, StatusJson.readOrderer(resp.body()), null, answered);
          } catch (java.io.IOException e) {
            return new StatusSample(at, node, null, "unreadable /status from " + uri + ": " + e.getMessage(), answered);
          }
        })
        .exceptionally(e -> new StatusSample(at, node, null,
            uri + ": " + (e.getCause() == null ? e : e.getCause()).toString(), answeredAt(at)));
  }

  /** Now, by the sampler's clock; never before {@code asked} (a clock stepped back is read as no time passed). */
  private Instant answeredAt(Instant asked) {
    Instant now = clock.instant();
    return now.isBefore(asked) ? asked : now;
  }

  public List<StatusSample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
