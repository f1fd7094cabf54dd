package io.raftswarm.swarm.remote;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
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
  private final String engineVersion;
  private final String apiVersion;

  private RemoteDocker(SshHost host, UnixSocketRelay relay, DockerClient client,
      String engineVersion, String apiVersion) {
    this.host = host;
    this.relay = relay;
    this.client = client;
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
      Version version;
      try (DockerClient probe = client(relay, RemoteApiVersion.unknown())) {
        version = probe.versionCmd().exec();
      }
      String api = version.getApiVersion();
      DockerClient client = client(relay, RemoteApiVersion.parseConfig(api));
      return new RemoteDocker(host, relay, client, version.getVersion(), api);
    } catch (IOException | RuntimeException e) {
      relay.close();
      throw new RemoteHostException("cannot reach the Docker engine at " + dockerSocket + " on "
          + host + " (" + rootMessage(e) + "); check that dockerd runs there (systemctl status"
          + " docker), that the SSH user may use its socket, and dockerSocket in the inventory", e);
    }
  }

  private static DockerClient client(UnixSocketRelay relay, RemoteApiVersion api) {
    URI uri = URI.create("unix://" + relay.socket());
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(uri.toString())
        .withDockerTlsVerify(false)
        .withApiVersion(api)
        .build();
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(uri)
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(10))
        .maxConnections(16)
        .build();
    return DockerClientImpl.getInstance(config, http);
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
