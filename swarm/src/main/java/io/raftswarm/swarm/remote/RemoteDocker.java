package io.raftswarm.swarm.remote;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;

/**
 * docker-java talking to a host's Docker engine through SSH only: a private local Unix socket
 * relayed over {@code direct-streamlocal} channels (see {@link UnixSocketRelay}). The API
 * version is read from the engine's {@code /version} (docker-java does not negotiate, and
 * pinning a newer version than the engine supports fails), not hard-coded.
 *
 * <p>Thread-safe like {@link DockerClient}. Closing it closes the relay, not the SSH connection.
 */
public final class RemoteDocker implements AutoCloseable {
  private final SshHost host;
  private final UnixSocketRelay relay;
  private final DockerClient client;
  private final DockerHttpClient http;
  private final String engineVersion;
  private final String apiVersion;

  private RemoteDocker(SshHost host, UnixSocketRelay relay, DockerHttpClient http,
      String engineVersion, String apiVersion) {
    this.host = host;
    this.relay = relay;
    this.http = http;
    this.client = client(relay, http, RemoteApiVersion.parseConfig(apiVersion));
    this.engineVersion = engineVersion;
    this.apiVersion = apiVersion;
  }

  /** Opens the relay and checks the engine answers; throws naming the host and socket if not. */
  public static RemoteDocker open(SshHost host, String dockerSocket) {
    DockerSocketChannels channels = new DockerSocketChannels(host, dockerSocket);
    UnixSocketRelay relay;
    try {
      relay = UnixSocketRelay.start(channels::open, host + ":" + dockerSocket);
    } catch (IOException e) {
      throw new RemoteHostException("cannot create the local relay socket for " + host + ": "
          + e.getMessage() + "; check that $TMPDIR is writable", e);
    }
    try {
      DockerHttpClient http = http(relay);
      // Unversioned paths are served at the engine's own API version: ask it which one that is.
      Version version = client(relay, http, RemoteApiVersion.unknown()).versionCmd().exec();
      return new RemoteDocker(host, relay, http, version.getVersion(), version.getApiVersion());
    } catch (RuntimeException e) {
      relay.close();
      throw new RemoteHostException("cannot reach the Docker engine at " + dockerSocket + " on "
          + host + " (" + rootMessage(e) + "); check that dockerd runs there (systemctl status"
          + " docker), that the SSH user may use its socket, and dockerSocket in the inventory", e);
    }
  }

  private static DockerHttpClient http(UnixSocketRelay relay) {
    return new ZerodepDockerHttpClient.Builder()
        .dockerHost(URI.create("unix://" + relay.socket()))
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(10))
        .maxConnections(16)
        .build();
  }

  private static DockerClient client(UnixSocketRelay relay, DockerHttpClient http,
      RemoteApiVersion api) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix://" + relay.socket())
        .withDockerTlsVerify(false)
        .withApiVersion(api)
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * Raw {@code POST /v<api><path>} with a JSON body, for the few API fields docker-java lacks
   * (e.g. {@code DefaultAddrPool} of swarm init). Returns the body; throws on HTTP >= 400.
   */
  public String post(String path, String json) {
    Request req = Request.builder()
        .method(Request.Method.POST)
        .path("/v" + apiVersion + path)
        .putHeader("Content-Type", "application/json")
        .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
        .build();
    try (Response resp = http.execute(req)) {
      String body = new String(resp.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (resp.getStatusCode() >= 400) {
        throw new RemoteHostException("Docker on " + host + ": POST " + path + " answered "
            + resp.getStatusCode() + ": " + body.trim());
      }
      return body;
    } catch (IOException e) {
      throw new RemoteHostException("Docker on " + host + ": POST " + path + " failed: " + e, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  public DockerClient client() {
    return client;
  }

  /** Engine version, e.g. 20.10.24. */
  public String engineVersion() {
    return engineVersion;
  }

  /** API version the engine reported and this client uses, e.g. 1.41. */
  public String apiVersion() {
    return apiVersion;
  }

  public SshHost host() {
    return host;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException ignored) {
      // the relay goes away below anyway
    }
    relay.close();
  }
}
