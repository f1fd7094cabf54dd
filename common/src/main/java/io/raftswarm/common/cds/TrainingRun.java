package io.raftswarm.common.cds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the orderer's and the peer's training mains (AOT cache / class-data sharing) share: the main itself,
 * loopback ports, polling the operations endpoint, removing the throw-away directory (their
 * network: {@link TrainingNetwork}).
 */
public final class TrainingRun {
  private TrainingRun() {}

  /** A training run's body, given its throw-away directory. */
  public interface Body {
    void run(Path dir) throws Exception;
  }

  /**
   * What a training main does: applies FABRIC_LOGGING_SPEC (default INFO), runs {@code body} in a
   * temporary directory, removes it and exits.
   */
  public static void main(Consumer<String> applyLoggingSpec, Body body) throws Exception {
    applyLoggingSpec.accept(System.getenv().getOrDefault("FABRIC_LOGGING_SPEC", "INFO"));
    Path dir = Files.createTempDirectory("cds-training");
    try {
      body.run(dir);
    } finally {
      deleteTree(dir);
    }
    System.out.println("CDS training: done");
    System.exit(0);
  }

  public static void awaitHealthy(String what, int port, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (get(port, "/healthz") == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the training " + what + " did not answer /healthz on port " + port);
  }

  public static int get(int port, String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  public static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  public static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("CDS training: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
