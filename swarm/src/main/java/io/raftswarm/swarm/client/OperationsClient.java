package io.raftswarm.swarm.client;

import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.common.status.PeerStatus;
import io.raftswarm.common.status.StatusJson;
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
  private final HttpClient http;
  private final Duration requestTimeout;

  /** Connect within 2 s, answer within 3 s: what provisioning and {@code status} allow a node. */
  public OperationsClient() {
    this(Duration.ofSeconds(2), Duration.ofSeconds(3));
  }

  public OperationsClient(Duration connectTimeout, Duration requestTimeout) {
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.requestTimeout = requestTimeout;
  }

  /** True if {@code GET /healthz} answers 200. Never throws for network errors. */
  public boolean healthy(String endpoint) {
    try {
      return get(endpoint, "/healthz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The orderer's {@code /status}; empty when it cannot be reached or read. */
  public Optional<OrdererStatus> ordererStatus(String endpoint) {
    try {
      return Optional.of(StatusJson.readOrderer(status(endpoint)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The peer's {@code /status}; empty when it cannot be reached or read. */
  public Optional<PeerStatus> peerStatus(String endpoint) {
    try {
      return Optional.of(readPeerStatus(endpoint));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The peer's {@code /status}, or an exception that says why it could not be had. */
  public PeerStatus readPeerStatus(String endpoint) throws IOException {
    return StatusJson.readPeer(status(endpoint));
  }

  private byte[] status(String endpoint) throws IOException {
    HttpResponse<byte[]> resp = get(endpoint, "/status");
    if (resp.statusCode() != 200) {
      throw new IOException("HTTP " + resp.statusCode() + " from " + resp.uri());
    }
    return resp.body();
  }

  private HttpResponse<byte[]> get(String endpoint, String path) throws IOException {
    URI uri = URI.create("http://" + endpoint + path);
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + uri, e);
    }
  }
}
