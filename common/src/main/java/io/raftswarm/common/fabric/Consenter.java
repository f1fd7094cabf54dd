package io.raftswarm.common.fabric;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Raft member of a channel, as etcdraft's {@code Consenter}: its cluster (Raft) endpoint and
 * its TLS certificates (PEM). Ids are 1..N in the channel's consenter order; an orderer finds its
 * own id by matching its TLS certificate against {@link #serverTlsCertPem()} /
 * {@link #clientTlsCertPem()}. Arrays are copied in and out, so the record is immutable.
 *
 * @param port the cluster (Raft) port, not the Broadcast/Deliver port
 */
public record Consenter(int id, String host, int port, byte[] clientTlsCertPem, byte[] serverTlsCertPem) {
  public Consenter {
    if (id < 1) {
      throw new IllegalArgumentException("consenter id must be >= 1, was " + id);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("consenter " + id + " has no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("consenter " + id + " (" + host + ") has cluster port " + port + ", outside 1..65535");
    }
    clientTlsCertPem = requireCert(clientTlsCertPem, id, host, "client");
    serverTlsCertPem = requireCert(serverTlsCertPem, id, host, "server");
  }

  /** The cluster endpoint {@code host:port}. */
  public String clusterEndpoint() {
    return host + ":" + port;
  }

  @Override
  public byte[] clientTlsCertPem() {
    return clientTlsCertPem.clone();
  }

  @Override
  public byte[] serverTlsCertPem() {
    return serverTlsCertPem.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Consenter other
        && id == other.id
        && port == other.port
        && host.equals(other.host)
        && Arrays.equals(clientTlsCertPem, other.clientTlsCertPem)
        && Arrays.equals(serverTlsCertPem, other.serverTlsCertPem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, host, port, Arrays.hashCode(clientTlsCertPem), Arrays.hashCode(serverTlsCertPem));
  }

  @Override
  public String toString() {
    return "Consenter[id=" + id + ", " + clusterEndpoint() + "]";
  }

  private static byte[] requireCert(byte[] pem, int id, String host, String which) {
    if (pem == null || pem.length == 0) {
      throw new IllegalArgumentException("consenter " + id + " (" + host + ") has no " + which + " TLS certificate");
    }
    if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("consenter " + id + " (" + host + "): " + which + " TLS certificate is not PEM");
    }
    return pem.clone();
  }
}
