package io.raftswarm.swarm.drill.collect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftswarm.swarm.drill.verdict.PeerLedger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads a peer's {@code /status} ({@code {"node", "channels":[{"channel","height",
 * "lastBlockHash","stateHash","orderer"}]}}) into {@link PeerLedger}s: the peer's last block
 * hash is compared with the orderers' block at that height, its state hash with other peers'.
 */
public final class PeerStatusReader {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final HttpClient http;
  private final Duration timeout;

  public PeerStatusReader(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PeerChannel(String channel, long height, String lastBlockHash, String stateHash) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PeerStatus(String node, List<PeerChannel> channels) {}

  /**
   * @param operationsEndpoint {@code host:port}
   * @throws IOException when the peer cannot be reached or answers something else
   */
  public List<PeerLedger> read(String peer, String operationsEndpoint) throws IOException {
    URI uri = URI.create("http://" + operationsEndpoint + "/status");
    try {
      HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() != 200) {
        throw new IOException("HTTP " + resp.statusCode() + " from " + uri);
      }
      return parse(peer, resp.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + uri, e);
    }
  }

  static List<PeerLedger> parse(String peer, byte[] json) throws IOException {
    PeerStatus status = JSON.readValue(json, PeerStatus.class);
    if (status.channels() == null) {
      return List.of();
    }
    return status.channels().stream()
        .map(c -> new PeerLedger(peer, c.channel(), c.height(),
            c.height() > 0 && c.lastBlockHash() != null && !c.lastBlockHash().isEmpty()
                ? Map.of(c.height() - 1, c.lastBlockHash()) : Map.of(),
            c.stateHash() == null || c.stateHash().isEmpty() ? null : c.stateHash()))
        .toList();
  }
}
