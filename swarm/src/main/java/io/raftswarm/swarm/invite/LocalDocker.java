package io.raftswarm.swarm.invite;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.raftswarm.swarm.error.UserError;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * docker-java on this machine's engine socket ({@code unix:///var/run/docker.sock}), built like
 * {@code remote/RemoteDocker} minus the SSH relay: the zerodep transport on the socket, the API
 * version read from the engine's {@code /version} (docker-java does not negotiate).
 */
final class LocalDocker implements AutoCloseable {
  private final String socket;
  private final DockerClient client;
  private final String engineVersion;

  private LocalDocker(String socket, DockerClient client, String engineVersion) {
    this.socket = socket;
    this.client = client;
    this.engineVersion = engineVersion;
  }

  /** @param dockerHost {@code unix:///path/to/docker.sock} */
  static LocalDocker open(String dockerHost) {
    if (!dockerHost.startsWith("unix:///")) {
      throw new UserError("--docker '" + dockerHost + "' is not unix:///PATH (the local engine's socket, e.g."
          + " unix:///var/run/docker.sock)");
    }
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(URI.create(dockerHost))
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(10))
        .maxConnections(8)
        .build();
    try {
      Version v = client(dockerHost, http, RemoteApiVersion.unknown()).versionCmd().exec();
      return new LocalDocker(dockerHost, client(dockerHost, http, RemoteApiVersion.parseConfig(v.getApiVersion())),
          v.getVersion());
    } catch (RuntimeException e) {
      throw new UserError("cannot reach the Docker engine at " + dockerHost + " (" + e.getMessage() + "); check that"
          + " dockerd runs (systemctl status docker), that you may use its socket (run join as root), and --docker",
          e);
    }
  }

  private static DockerClient client(String host, DockerHttpClient http, RemoteApiVersion api) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host)
        .withDockerTlsVerify(false)
        .withApiVersion(api)
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  DockerClient client() {
    return client;
  }

  String socket() {
    return socket;
  }

  String engineVersion() {
    return engineVersion;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException ignored) {
      // nothing to keep
    }
  }
}
