package io.raftswarm.swarm.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay over real {@code direct-streamlocal} channels to a Unix socket "engine" that reads a
 * request until EOF (so half-close must travel through SSH) and answers in upper case.
 */
@Timeout(60)
class UnixSocketRelayTest {
  @TempDir static Path dir;
  static LocalSshd sshd;
  static ServerSocketChannel engine;

  @BeforeAll
  static void start() throws Exception {
    LocalSshd.requireAvailable();
    sshd = LocalSshd.start(Files.createDirectories(dir.resolve("sshd")), true);
    engine = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    engine.bind(UnixDomainSocketAddress.of(dir.resolve("engine.sock")));
    Thread t = new Thread(UnixSocketRelayTest::serveUpperCase, "fake-engine");
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  private static void serveUpperCase() {
    while (engine.isOpen()) {
      try {
        SocketChannel c = engine.accept();
        CompletableFuture.runAsync(() -> {
          try (c) {
            String req = new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
            c.write(ByteBuffer.wrap(req.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
          } catch (IOException ignored) {
            // test client went away
          }
        });
      } catch (IOException e) {
        return;
      }
    }
  }

  private static String exchange(Path socket, String request) throws IOException {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
      c.shutdownOutput();
      return new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void relays_concurrent_connections_with_half_close_in_both_directions() throws Exception {
    try (SshHost host = SshHost.connect(sshd.target());
        UnixSocketRelay relay = UnixSocketRelay.start(
            new DockerSocketChannels(host, dir.resolve("engine.sock").toString())::open, "test")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(relay.socket())))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          relay.socket().getParent()))).isEqualTo("rwx------");
      String big = "x".repeat(1_000_000);
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String req = "hello " + i + " " + big;
        answers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return exchange(relay.socket(), req);
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        }));
      }
      for (int i = 0; i < 8; i++) {
        assertThat(answers.get(i).get()).isEqualTo("HELLO " + i + " " + big.toUpperCase(Locale.ROOT));
      }
    }
  }

  @Test
  void when_the_remote_socket_is_missing_then_that_connection_fails_and_the_relay_keeps_serving()
      throws Exception {
    Path missing = dir.resolve("missing.sock");
    try (SshHost host = SshHost.connect(sshd.target());
        UnixSocketRelay relay = UnixSocketRelay.start(
            new DockerSocketChannels(host, missing.toString())::open, "test")) {
      // Closed without an answer: an empty read or a reset, depending on timing.
      String answer;
      try {
        answer = exchange(relay.socket(), "ping");
      } catch (IOException e) {
        answer = "";
      }
      assertThat(answer).isEmpty();
      try (ServerSocketChannel late = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        late.bind(UnixDomainSocketAddress.of(missing));
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
          try (SocketChannel c = late.accept()) {
            String req = new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
            c.write(ByteBuffer.wrap(("got " + req).getBytes(StandardCharsets.UTF_8)));
            return req;
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
        assertThat(exchange(relay.socket(), "ping")).isEqualTo("got ping");
        assertThat(served.get()).isEqualTo("ping");
      }
    }
  }

  @Test
  void when_the_relay_is_closed_then_its_socket_and_directory_are_gone() throws Exception {
    Path socket;
    try (SshHost host = SshHost.connect(sshd.target());
        UnixSocketRelay relay = UnixSocketRelay.start(
            new DockerSocketChannels(host, dir.resolve("engine.sock").toString())::open, "test")) {
      socket = relay.socket();
    }
    assertThat(socket).doesNotExist();
    assertThat(socket.getParent()).doesNotExist();
    assertThatThrownBy(() -> exchange(socket, "x")).isInstanceOf(IOException.class);
  }
}
