package io.raftswarm.swarm.cli.resident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resident CLI's socket, protocol and lifecycle, with a stand-in for the commands it runs. */
class ResidentServerTest {
  @TempDir Path tmp;

  private final StringWriter log = new StringWriter();
  private CompletableFuture<String> serving;
  private ResidentServer server;

  /** Echoes what it was given; "fail" exits 3 with a line on stderr; "wait" blocks on {@link #gate}. */
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch waiting = new CountDownLatch(1);
  private final ResidentServer.Commands echo = (args, cwd, env, ansi, out, err) -> {
    if (args.get(1).equals("wait")) {
      waiting.countDown();
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    out.println("args=" + args + " cwd=" + cwd + " network=" + env.get("RAFTSWARM_NETWORK") + " ansi=" + ansi);
    if (args.get(1).equals("fail")) {
      err.println("error: it failed");
      return 3;
    }
    return 0;
  };

  private record Answer(int exit, String out, String err) {}

  private Path socket() {
    return tmp.resolve("resident").resolve("0.sock");
  }

  private ResidentServer.Settings settings(Path build) {
    return new ResidentServer.Settings(socket(), Duration.ofMinutes(5), build, Set.of("query", "invoke"),
        Map.of("RAFTSWARM_LOG", ""));
  }

  private void start(ResidentServer.Settings settings) throws IOException {
    server = ResidentServer.bind(settings, echo, new PrintWriter(log, true));
    assertThat(server).isNotNull();
    serving = CompletableFuture.supplyAsync(() -> {
      try {
        return server.serve();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
  }

  @AfterEach
  void stop() {
    gate.countDown();
    ResidentClient.stop(socket());
  }

  private Answer send(List<String> args, Map<String, String> env) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var request = new ResidentProtocol.Request(ResidentProtocol.Kind.RUN, args, "/work/dir", env, true);
    int exit = ResidentClient.send(socket(), request, new PrintStream(out, true), new PrintStream(err, true));
    return new Answer(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void relays_the_commands_output_and_exit_code_with_the_callers_directory_and_environment() throws IOException {
    start(settings(null));
    Answer ok = send(List.of("query", "a", "ünïcode"), Map.of("RAFTSWARM_NETWORK", "net"));
    assertThat(ok).isEqualTo(new Answer(0, "args=[query, a, ünïcode] cwd=/work/dir network=net ansi=true\n", ""));
    Answer failed = send(List.of("invoke", "fail"), Map.of());
    assertThat(failed).isEqualTo(new Answer(3, "args=[invoke, fail] cwd=/work/dir network=null ansi=true\n",
        "error: it failed\n"));
    assertThat(log.toString()).contains("query → 0", "invoke → 3");
  }

  @Test
  void declines_what_it_does_not_serve_without_printing_anything() throws IOException {
    start(settings(null));
    assertThat(send(List.of("provision", "x"), Map.of())).isEqualTo(new Answer(ResidentProtocol.NOT_SERVED_EXIT, "", ""));
    // a JVM-wide setting this JVM was not started with: the launcher runs the command in a JVM of its own
    assertThat(send(List.of("query", "x"), Map.of("RAFTSWARM_LOG", "debug")))
        .isEqualTo(new Answer(ResidentProtocol.NOT_SERVED_EXIT, "", ""));
    assertThat(send(List.of("query", "x"), Map.of()).exit()).isZero();
  }

  @Test
  void runs_requests_side_by_side() throws Exception {
    start(settings(null));
    CompletableFuture<Answer> first = CompletableFuture.supplyAsync(() -> send(List.of("query", "wait"), Map.of()));
    assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the first command started").isTrue();
    // answered while the first one still waits for the gate
    assertThat(send(List.of("query", "now"), Map.of()).exit()).isZero();
    assertThat(first).isNotDone();
    gate.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS).exit()).isZero();
  }

  @Test
  void a_rebuilt_jar_is_not_served_and_stops_the_server() throws Exception {
    Path jar = Files.writeString(tmp.resolve("swarm.jar"), "v1");
    start(settings(jar));
    assertThat(send(List.of("query", "x"), Map.of()).exit()).isZero();
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(send(List.of("query", "x"), Map.of())).isEqualTo(new Answer(ResidentProtocol.NOT_SERVED_EXIT, "", ""));
    assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo("its jar was rebuilt");
    assertThat(socket()).doesNotExist();
  }

  @Test
  void stop_ends_it_and_removes_its_socket_and_a_second_one_stands_down_meanwhile() throws Exception {
    start(settings(null));
    assertThat(ResidentClient.running(socket())).isTrue();
    assertThat(ResidentServer.bind(settings(null), echo, new PrintWriter(new StringWriter()))).isNull();
    assertThat(ResidentClient.stop(socket())).isTrue();
    assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo("asked to stop");
    assertThat(socket()).doesNotExist();
    assertThat(ResidentClient.running(socket())).isFalse();
    assertThat(send(List.of("query", "x"), Map.of()).exit()).isEqualTo(ResidentProtocol.NOT_SERVED_EXIT);
  }

  @Test
  void removing_its_socket_file_stops_it() throws Exception {
    start(settings(null));
    Files.delete(socket());
    assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo("its socket file was removed or replaced");
  }

  @Test
  void a_stale_socket_file_from_a_crashed_server_is_replaced() throws Exception {
    Files.createDirectories(socket().getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(socket(), "left behind");
    start(settings(null));
    assertThat(send(List.of("query", "x"), Map.of()).exit()).isZero();
  }

  @Test
  void refuses_a_socket_directory_others_can_enter() throws IOException {
    Files.createDirectories(socket().getParent());
    Files.setPosixFilePermissions(socket().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> ResidentServer.bind(settings(null), echo, new PrintWriter(log)))
        .isInstanceOf(IOException.class).hasMessageContaining("open to other users").hasMessageContaining("chmod 700");
  }

  @Test
  void a_server_that_breaks_off_mid_command_is_an_error_not_a_silent_retry() throws Exception {
    // a stand-in that takes the request and dies without an answer (a killed resident JVM)
    Files.createDirectories(socket().getParent());
    try (var fake = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      fake.bind(java.net.UnixDomainSocketAddress.of(socket()));
      CompletableFuture<Void> dies = CompletableFuture.runAsync(() -> {
        try (var conn = fake.accept()) {
          ResidentProtocol.Request.read(new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(conn)));
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      Answer answer = send(List.of("invoke", "x"), Map.of());
      dies.get(30, TimeUnit.SECONDS);
      // not 75: the launcher would run the invoke a second time
      assertThat(answer.exit()).isEqualTo(1);
      assertThat(answer.err()).contains("broke off", "check before running the command again");
    }
  }

  @Test
  void no_server_means_not_served() {
    assertThat(send(List.of("query", "x"), Map.of())).isEqualTo(new Answer(ResidentProtocol.NOT_SERVED_EXIT, "", ""));
  }
}
