package io.raftswarm.swarm.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.swarm.client.FabricClientException.Failure;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@code osnadmin channel list|info|join|remove} does, against one orderer's admin endpoint
 * (Fabric's channel participation API, mutual TLS with the orderer org's Admin TLS certificate).
 */
public final class ParticipationClient {
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String CHANNELS = "/participation/v1/channels";

  /** One channel as the orderer reports it. */
  public record ChannelInfo(String name, String consensusRelation, String status, long height) {}

  /** How a join ended: joined now, or the orderer already served the channel (405 in Fabric). */
  public enum JoinOutcome { JOINED, ALREADY_JOINED }

  private final HttpClient http;
  private final String orderer;
  private final String base;

  private ParticipationClient(HttpClient http, String orderer, String adminEndpoint) {
    this.http = http;
    this.orderer = orderer;
    this.base = "https://" + adminEndpoint;
  }

  /** A client for {@code node}'s admin endpoint, acting as {@code admin} (the orderer org's Admin). */
  public static ParticipationClient of(NetworkProfile.NodeEntry node, ClientIdentity admin) {
    if (!node.isOrderer() || node.adminEndpoint().isEmpty()) {
      throw new FabricClientException(Failure.CONFIGURATION, node.name() + " has no admin endpoint in network.json"
          + (node.isOrderer() ? " (rendered before raftswarm published one: render and provision again)" : " (not an orderer)"));
    }
    HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.jdkContext(admin.tls()))
        .connectTimeout(Duration.ofSeconds(5)).build();
    return new ParticipationClient(http, node.name(), node.adminEndpoint());
  }

  public List<String> list() {
    JsonNode body = json(send(HttpRequest.newBuilder(URI.create(base + CHANNELS)).GET()), 200);
    List<String> names = new ArrayList<>();
    body.path("channels").forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  public Optional<ChannelInfo> info(String channel) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + CHANNELS + "/" + channel)).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode body = json(response, 200);
    return Optional.of(new ChannelInfo(body.path("name").asText(), body.path("consensusRelation").asText(),
        body.path("status").asText(), Long.parseUnsignedLong(body.path("height").asText("0"))));
  }

  /** Posts the config block as osnadmin does: one multipart file part {@code config-block}. */
  public JoinOutcome join(byte[] configBlock) {
    String boundary = UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"config-block\"; filename=\"config.block\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(configBlock);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + CHANNELS))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    if (response.statusCode() == 405 && response.body().contains("channel already exists")) {
      return JoinOutcome.ALREADY_JOINED;
    }
    json(response, 201);
    return JoinOutcome.JOINED;
  }

  /** Removes the channel from this orderer; false if it did not serve it. */
  public boolean remove(String channel) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + CHANNELS + "/" + channel)).DELETE());
    if (response.statusCode() == 404) {
      return false;
    }
    if (response.statusCode() != 204) {
      throw refused(response);
    }
    return true;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new FabricClientException(Failure.ORDERER_UNREACHABLE, "cannot reach the admin endpoint of " + orderer + " at "
          + base + ": " + e.getMessage() + " (is the orderer up, and is its admin port published?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FabricClientException(Failure.ORDERER_UNREACHABLE, "interrupted while calling " + orderer);
    }
  }

  private JsonNode json(HttpResponse<String> response, int expected) {
    if (response.statusCode() != expected) {
      throw refused(response);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new FabricClientException(Failure.ORDERER_REJECTED, orderer + " answered with a body that is not JSON: " + e.getMessage());
    }
  }

  private FabricClientException refused(HttpResponse<String> response) {
    String error = response.body();
    try {
      error = JSON.readTree(response.body()).path("error").asText(response.body());
    } catch (IOException ignored) {
      // not JSON: report the raw body
    }
    return new FabricClientException(Failure.ORDERER_REJECTED, orderer + " answered " + response.request().method() + " "
        + response.uri().getPath() + " with HTTP " + response.statusCode() + ": " + error.trim());
  }
}
