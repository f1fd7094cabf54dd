package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.EcKeys;
import io.raftswarm.common.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A node's {@code msp/} and {@code tls/} in cryptogen's layout, read from a directory: the TLS pair
 * {@code tls/server.crt}+{@code server.key}, the enrollment pair {@code msp/signcerts/*.pem}+the
 * {@code msp/keystore/*_sk} that matches it.
 */
record NodeMaterial(Path dir) {
  static final List<String> PARTS = List.of("msp", "tls");

  Path tlsCert() {
    return dir.resolve("tls").resolve("server.crt");
  }

  Path tlsKey() {
    return dir.resolve("tls").resolve("server.key");
  }

  Path keystore() {
    return dir.resolve("msp").resolve("keystore");
  }

  /** The enrollment certificate file ({@code msp/signcerts/<fqdn>-cert.pem}). */
  Path signcert() {
    Path signcerts = dir.resolve("msp").resolve("signcerts");
    try (Stream<Path> files = Files.list(signcerts)) {
      return files.filter(p -> p.toString().endsWith(".pem")).sorted().findFirst()
          .orElseThrow(() -> new IllegalStateException("no certificate in " + signcerts));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + signcerts, e);
    }
  }

  X509Certificate tls() {
    return Pem.readCertificate(tlsCert());
  }

  X509Certificate enrollment() {
    return Pem.readCertificate(signcert());
  }

  /** The keystore file holding the enrollment certificate's private key. */
  Optional<Path> enrollmentKey() {
    X509Certificate cert = enrollment();
    try (Stream<Path> files = Files.list(keystore())) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        if (EcKeys.matches(Pem.readPrivateKey(p), cert.getPublicKey())) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + keystore(), e);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // an unreadable key: no pair
    }
  }

  /**
   * True when both pairs are whole (certificate and matching key) and issued by {@code cas}: what
   * an interrupted run left in {@code new/} can be used as it is.
   */
  boolean isWholeAndIssuedBy(OrgCas cas) {
    try {
      X509Certificate tls = tls();
      tls.verify(cas.tlsCa().certificate().getPublicKey());
      X509Certificate enrollment = enrollment();
      enrollment.verify(cas.ca().certificate().getPublicKey());
      PrivateKey tlsKey = Pem.readPrivateKey(tlsKey());
      return EcKeys.matches(tlsKey, tls.getPublicKey()) && enrollmentKey().isPresent();
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Relative path to SHA-256 of every file under {@code msp/} and {@code tls/}. */
  Map<String, String> digests() {
    Map<String, String> out = new TreeMap<>();
    for (String part : PARTS) {
      Path root = dir.resolve(part);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          out.put(dir.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + root, e);
      }
    }
    return out;
  }

  /** Same files with the same content as {@code other} (modes aside). */
  boolean sameFilesAs(NodeMaterial other) {
    return Files.isDirectory(dir) && digests().equals(other.digests());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean samePem(X509Certificate a, byte[] pem) {
    try {
      return Arrays.equals(a.getEncoded(), Pem.readCertificate(pem).getEncoded());
    } catch (java.security.cert.CertificateEncodingException | IllegalArgumentException e) {
      return false;
    }
  }
}
