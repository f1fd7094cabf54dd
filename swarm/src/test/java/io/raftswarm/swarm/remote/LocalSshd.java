package io.raftswarm.swarm.remote;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A throwaway OpenSSH server on 127.0.0.1 for tests: own host key, own authorized key, no PAM,
 * streamlocal forwarding and internal-sftp on. Needs {@code /usr/sbin/sshd} and root (it logs
 * in as the current user).
 */
public final class LocalSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  final Path dir;
  final int port;
  final Path clientKey;
  final Path knownHosts;
  final String hostKeyFingerprint;
  private final Process process;

  static boolean available() {
    return Files.isExecutable(SSHD) && "root".equals(System.getProperty("user.name"));
  }

  /**
   * Skips the calling test class when no sshd can be started (non-root developer runs), but
   * FAILS under {@code scripts/test} as root / CI ({@code RAFTSWARM_REQUIRE_ALL=1} or
   * {@code CI=true}): a green CI run never hides a skipped SSH test.
   */
  public static void requireAvailable() {
    boolean required = "1".equals(System.getenv("RAFTSWARM_REQUIRE_ALL"))
        || "true".equals(System.getenv("CI"));
    if (required && !available()) {
      throw new AssertionError("an sshd test needs /usr/sbin/sshd and root here "
          + "(scripts/test installs openssh-server; run it as root)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(available(), "needs /usr/sbin/sshd and root");
  }

  public static LocalSshd start(Path dir, boolean allowStreamLocal) throws Exception {
    return start(dir, allowStreamLocal, "");
  }

  /**
   * @param keyOptions authorized_keys options for the client key, e.g. {@code command="..."}
   *     to stand in for a login shell with hostile startup files (empty for none)
   */
  static LocalSshd start(Path dir, boolean allowStreamLocal, String keyOptions) throws Exception {
    keygen(dir.resolve("host_ed25519"));
    keygen(dir.resolve("client_ed25519"));
    Files.writeString(dir.resolve("authorized_keys"), (keyOptions.isEmpty() ? "" : keyOptions + " ")
        + Files.readString(dir.resolve("client_ed25519.pub")));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(Path.of("/run/sshd"));
    Path config = dir.resolve("sshd_config");
    Files.writeString(config, String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("host_ed25519"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PidFile " + dir.resolve("sshd.pid"),
        "StrictModes no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "PermitRootLogin prohibit-password",
        "AllowStreamLocalForwarding " + (allowStreamLocal ? "yes" : "no"),
        "Subsystem sftp internal-sftp",
        ""));
    String hostPub = Files.readString(dir.resolve("host_ed25519.pub")).trim();
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + hostPub + "\n");
    String fp = run(List.of("ssh-keygen", "-lf", dir.resolve("host_ed25519.pub").toString()))
        .split(" ")[1];
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("sshd.log").toFile())
        .start();
    LocalSshd sshd = new LocalSshd(dir, port, dir.resolve("client_ed25519"), knownHosts, fp, p);
    Awaitility.await("sshd listening on 127.0.0.1:" + port).atMost(Duration.ofSeconds(10))
        .until(() -> {
          if (!p.isAlive()) {
            throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
          }
          try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return sshd;
  }

  private LocalSshd(Path dir, int port, Path clientKey, Path knownHosts, String fp, Process p) {
    this.dir = dir;
    this.port = port;
    this.clientKey = clientKey;
    this.knownHosts = knownHosts;
    this.hostKeyFingerprint = fp;
    this.process = p;
  }

  public SshTarget target() {
    return new SshTarget("127.0.0.1", port, System.getProperty("user.name"), clientKey, knownHosts,
        null, Duration.ofSeconds(5));
  }

  static void keygen(Path key) throws Exception {
    run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString()));
  }

  static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(cmd + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
