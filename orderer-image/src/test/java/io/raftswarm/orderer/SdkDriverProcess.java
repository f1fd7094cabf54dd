package io.raftswarm.orderer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Fabric's Java SDK in its own JVM: runs {@code org.hyperledger.fabric.sdk.RaftswarmSdkDriver}
 * (module fabric-sdk-driver) with the SDK's own class path, and collects the lines it prints.
 * A separate JVM because the SDK's generated protos clash by name with fabric-protos 0.3.7.
 */
final class SdkDriverProcess implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "fabric-sdk-driver.classpath";
  private static final String MAIN = "org.hyperledger.fabric.sdk.RaftswarmSdkDriver";

  private final Process process;
  private final Path stderr;
  private final List<String> lines = new ArrayList<>();

  private SdkDriverProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "sdk-driver-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the driver with {@code key=value} arguments; its stderr goes to {@code logDir}. */
  static SdkDriverProcess start(Path logDir, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath());
    command.add(MAIN);
    command.addAll(args);
    Files.createDirectories(logDir);
    Path stderr = Files.createTempFile(logDir, "sdk-driver-", ".stderr");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new SdkDriverProcess(p, stderr);
  }

  /** The driver jar (or classes directory) followed by the SDK's run-time class path. */
  private static String classPath() throws IOException {
    URL url = SdkDriverProcess.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
    if (url == null) {
      throw new IllegalStateException(CLASSPATH_RESOURCE + " is not on the test class path; build the fabric-sdk-driver"
          + " module first, e.g. mvn -pl orderer-image -am test");
    }
    Path location;
    String sdkClassPath;
    try {
      if ("jar".equals(url.getProtocol())) {
        String spec = url.getPath();
        location = Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI());
      } else {
        location = Path.of(url.toURI()).getParent();
      }
      try (var in = url.openStream()) {
        sdkClassPath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the fabric-sdk-driver from " + url, e);
    }
    return location + File.pathSeparator + sdkClassPath;
  }

  /** Waits for a line matching {@code wanted}; fails with the output so far. */
  String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : lines) {
          if (wanted.test(line)) {
            return line;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || (!process.isAlive() && lines.isEmpty())) {
          throw new AssertionError("the SDK driver printed no expected line within " + timeout + "; output: " + lines
              + "; stderr tail: " + stderrTail());
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** Waits for the exit and returns every line printed; fails when it does not end or fails. */
  List<String> finish(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the SDK driver did not end within " + timeout + "; output: " + output() + "; stderr tail: "
          + stderrTail());
    }
    Thread.sleep(50); // let the reader drain the pipe
    if (process.exitValue() != 0) {
      throw new AssertionError("the SDK driver exited with " + process.exitValue() + "; output: " + output()
          + "; stderr tail: " + stderrTail());
    }
    return output();
  }

  List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  String stderrTail() {
    try {
      String all = Files.readString(stderr);
      return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
