package io.raftswarm.swarm.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RemoteDocker against the lab's host1 (scripts/lab up --hosts 2): docker-java through SSH only.
 * Skipped when no lab is up.
 */
@Timeout(60)
class RemoteDockerLabTest {
  static final Path KEY = Path.of("/var/lib/lab/ssh/id_ed25519");
  static final Path KNOWN_HOSTS = Path.of("/var/lib/lab/ssh/known_hosts");
  static final String SOCKET = "/run/lab/host1/docker.sock";

  static SshTarget host1() {
    assumeTrue(Files.exists(KEY) && Files.exists(Path.of(SOCKET)), "needs scripts/lab up");
    return new SshTarget("10.77.0.1", 22, "root", KEY, KNOWN_HOSTS, null, Duration.ofSeconds(5));
  }

  @Test
  void docker_java_reaches_the_remote_engine_with_its_own_api_version() throws Exception {
    try (SshHost host = SshHost.connect(host1());
        RemoteDocker docker = RemoteDocker.open(host, SOCKET)) {
      assertThat(docker.apiVersion()).matches("1\\.\\d+");
      assertThat(docker.engineVersion()).isNotBlank();
      assertThat(docker.client().infoCmd().exec().getName()).isEqualTo("host1");
      List<CompletableFuture<Integer>> calls = IntStream.range(0, 20)
          .mapToObj(i -> CompletableFuture.supplyAsync(
              () -> docker.client().listNetworksCmd().exec().size()))
          .toList();
      for (var c : calls) {
        assertThat(c.get()).isGreaterThan(0);
      }
    }
  }

  @Test
  void when_the_docker_socket_is_wrong_then_open_names_host_and_socket() {
    try (SshHost host = SshHost.connect(host1())) {
      assertThatThrownBy(() -> RemoteDocker.open(host, "/run/lab/nope/docker.sock"))
          .isInstanceOf(RemoteHostException.class)
          .hasMessageContaining("/run/lab/nope/docker.sock")
          .hasMessageContaining("10.77.0.1:22");
    }
  }
}
