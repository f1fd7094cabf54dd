package io.raftswarm.swarm.provision;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Plain-HTTP client for the nodes' operations endpoints ({@code /healthz}, {@code /status}),
 * reached from the operator machine at {@code <host address>:<published port>}.
 */
public final class OperationsClient {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** True if {@code GET /healthz} answers 200. Never throws for network errors. */
  public boolean healthy(String endpoint) {
    return get(endpoint, "/healthz").map(r -> r.statusCode() == 200).orElse(false);
  }

  public Optional<OrdererStatus> ordererStatus(String endpoint) {
    return get(endpoint, "/status").filter(r -> r.statusCode() == 200).flatMap(r -> {
      try {
        return Optional.of(JSON.readValue(r.body(), OrdererStatus.class));
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  public Optional<PeerStatus> peerStatus(String endpoint) {
    return get(endpoint, "/status").filter(r -> r.statusCode() == 200).flatMap(r -> {
      try {
        return Optional.of(JSON.readValue(r.body(), PeerStatus.class));
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  /** Any node's /status as a JSON tree (peers' shape is looser). */
  public Optional<JsonNode> statusTree(String endpoint) {
    return get(endpoint, "/status").filter(r -> r.statusCode() == 200).flatMap(r -> {
      try {
        return Optional.of(JSON.readTree(r.body()));
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  private Optional<HttpResponse<String>> get(String endpoint, String path) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
        .timeout(Duration.ofSeconds(3)).GET().build();
    try {
      return Optional.of(http.send(req, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
