package io.raftswarm.swarm.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one host over SSH. Exactly one host key source is required: an
 * OpenSSH {@code known_hosts} file or a pinned {@code SHA256:} fingerprint — never "trust any".
 *
 * @param host address or name the operator machine connects to
 * @param port sshd port
 * @param user login user
 * @param privateKey private key file (OpenSSH or PEM; Ed25519, ECDSA or RSA)
 * @param knownHosts OpenSSH known_hosts file, or null when {@code hostKeyFingerprint} is set
 * @param hostKeyFingerprint pinned {@code SHA256:...} host key fingerprint, or null
 * @param connectTimeout TCP connect + SSH handshake timeout
 */
public record SshTarget(
    String host,
    int port,
    String user,
    Path privateKey,
    Path knownHosts,
    String hostKeyFingerprint,
    Duration connectTimeout) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public SshTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(privateKey, "privateKey");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("ssh port out of range: " + port);
    }
    if ((knownHosts == null) == (blank(hostKeyFingerprint))) {
      throw new IllegalArgumentException(
          "host " + host + ": give exactly one of ssh.knownHosts or ssh.hostKeyFingerprint");
    }
    if (!blank(hostKeyFingerprint) && !hostKeyFingerprint.startsWith("SHA256:")) {
      throw new IllegalArgumentException("host " + host
          + ": ssh.hostKeyFingerprint must look like SHA256:<base64> (ssh-keygen -lf <key>.pub)");
    }
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
  }

  /** {@code user@host:port}, the form every error message uses. */
  public String label() {
    return user + "@" + host + ":" + port;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
