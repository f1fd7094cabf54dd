package io.raftswarm.common.tls;

import io.raftswarm.common.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A node's or client's TLS key pair plus the roots it trusts for the other side.
 *
 * @param trustedRoots TLS CA certificates accepted for the peer of a connection
 */
public record TlsMaterial(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> trustedRoots) {
  public TlsMaterial {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    trustedRoots = List.copyOf(Objects.requireNonNull(trustedRoots, "trustedRoots"));
    if (trustedRoots.isEmpty()) {
      throw new IllegalArgumentException("TLS material for " + certificate.getSubjectX500Principal() + " trusts no root CA");
    }
  }

  /**
   * Loads Fabric's tls directory: {@code server.crt}/{@code server.key} (nodes) or
   * {@code client.crt}/{@code client.key} (users), and {@code ca.crt}.
   */
  public static TlsMaterial load(Path tlsDir) {
    String prefix = Files.exists(tlsDir.resolve("server.crt")) ? "server" : "client";
    Path cert = tlsDir.resolve(prefix + ".crt");
    Path key = tlsDir.resolve(prefix + ".key");
    Path ca = tlsDir.resolve("ca.crt");
    for (Path required : List.of(cert, key, ca)) {
      if (!Files.isRegularFile(required)) {
        throw new IllegalArgumentException("TLS directory " + tlsDir + " lacks " + required.getFileName()
            + " (expected server.crt+server.key or client.crt+client.key, and ca.crt)");
      }
    }
    return new TlsMaterial(Pem.readCertificate(cert), Pem.readPrivateKey(key), Pem.readCertificates(ca));
  }

  /** The same key pair trusting a different set of roots (e.g. the TLS CAs of every org in a channel). */
  public TlsMaterial withTrustedRoots(List<X509Certificate> roots) {
    return new TlsMaterial(certificate, privateKey, roots);
  }
}
