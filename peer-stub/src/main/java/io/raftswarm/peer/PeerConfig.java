package io.raftswarm.peer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a peer needs to start; {@link #fromEnvironment} reads Fabric's CORE_PEER_* names.
 *
 * @param peerId CORE_PEER_ID, e.g. peer0.org1.example.com (names the node in logs and /status)
 * @param mspId CORE_PEER_LOCALMSPID
 * @param mspDir CORE_PEER_MSPCONFIGPATH (cryptogen layout: signcerts, keystore, cacerts, ...)
 * @param tlsCertFile CORE_PEER_TLS_CERT_FILE
 * @param tlsKeyFile CORE_PEER_TLS_KEY_FILE
 * @param tlsRootCertFile CORE_PEER_TLS_ROOTCERT_FILE (its org's TLS CA)
 * @param listenAddress CORE_PEER_LISTENADDRESS (Endorser + Deliver); port 0 = any free port
 * @param fileSystemPath CORE_PEER_FILESYSTEMPATH: ledgers live in {@code <path>/ledgersData/chains/<channel>}
 * @param operationsAddress CORE_OPERATIONS_LISTENADDRESS (/healthz, /metrics, /status); port 0 = any free port
 * @param stallTimeout switch orderer when no block arrived for this long while another orderer is ahead
 * @param retryDelay pause between attempts to reach orderers
 */
public record PeerConfig(
    String peerId,
    String mspId,
    Path mspDir,
    Path tlsCertFile,
    Path tlsKeyFile,
    Path tlsRootCertFile,
    InetSocketAddress listenAddress,
    Path fileSystemPath,
    InetSocketAddress operationsAddress,
    Duration stallTimeout,
    Duration retryDelay) {

  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(500);

  public PeerConfig {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(mspId, "mspId");
    Objects.requireNonNull(mspDir, "mspDir");
    Objects.requireNonNull(tlsCertFile, "tlsCertFile");
    Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
    Objects.requireNonNull(tlsRootCertFile, "tlsRootCertFile");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(fileSystemPath, "fileSystemPath");
    Objects.requireNonNull(operationsAddress, "operationsAddress");
    stallTimeout = Objects.requireNonNullElse(stallTimeout, DEFAULT_STALL_TIMEOUT);
    retryDelay = Objects.requireNonNullElse(retryDelay, DEFAULT_RETRY_DELAY);
  }

  /**
   * A loopback peer for tests and local runs: the Fabric {@code tls} directory (server.crt,
   * server.key, ca.crt) and the node's MSP directory from a cryptogen tree.
   */
  public static PeerConfig local(String peerId, String mspId, Path mspDir, Path tlsDir, int port, int operationsPort,
      Path fileSystemPath) {
    return new PeerConfig(peerId, mspId, mspDir, tlsDir.resolve("server.crt"), tlsDir.resolve("server.key"),
        tlsDir.resolve("ca.crt"), new InetSocketAddress("127.0.0.1", port), fileSystemPath,
        new InetSocketAddress("127.0.0.1", operationsPort), DEFAULT_STALL_TIMEOUT, DEFAULT_RETRY_DELAY);
  }

  /** Reads the container environment (names as in docs/CONTRACTS.md "Container environment"). */
  public static PeerConfig fromEnvironment(Map<String, String> env) {
    String tlsEnabled = env.getOrDefault("CORE_PEER_TLS_ENABLED", "true");
    if (!Boolean.parseBoolean(tlsEnabled)) {
      throw new IllegalArgumentException("CORE_PEER_TLS_ENABLED=" + tlsEnabled
          + " is not supported: raftswarm peers always use mutual TLS; set it to true");
    }
    return new PeerConfig(
        required(env, "CORE_PEER_ID"),
        required(env, "CORE_PEER_LOCALMSPID"),
        Path.of(required(env, "CORE_PEER_MSPCONFIGPATH")),
        Path.of(required(env, "CORE_PEER_TLS_CERT_FILE")),
        Path.of(required(env, "CORE_PEER_TLS_KEY_FILE")),
        Path.of(required(env, "CORE_PEER_TLS_ROOTCERT_FILE")),
        address("CORE_PEER_LISTENADDRESS", env.getOrDefault("CORE_PEER_LISTENADDRESS", "0.0.0.0:7051")),
        Path.of(env.getOrDefault("CORE_PEER_FILESYSTEMPATH", "/var/hyperledger/production")),
        address("CORE_OPERATIONS_LISTENADDRESS", env.getOrDefault("CORE_OPERATIONS_LISTENADDRESS", "0.0.0.0:9443")),
        env.containsKey("RAFTSWARM_PEER_STALL_TIMEOUT_MS")
            ? Duration.ofMillis(Long.parseLong(env.get("RAFTSWARM_PEER_STALL_TIMEOUT_MS"))) : DEFAULT_STALL_TIMEOUT,
        DEFAULT_RETRY_DELAY);
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set; the peer's compose service must define it");
    }
    return value;
  }

  static InetSocketAddress address(String name, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(name + "=" + hostPort + " must be host:port, e.g. 0.0.0.0:7051");
    }
    try {
      return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + hostPort + " has no numeric port", e);
    }
  }

  /** Where the channel ledgers live. */
  public Path chainsDir() {
    return fileSystemPath.resolve("ledgersData").resolve("chains");
  }
}
