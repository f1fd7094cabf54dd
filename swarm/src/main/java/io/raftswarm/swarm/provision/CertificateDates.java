package io.raftswarm.swarm.provision;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.NetworkStatus.CertificateView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When each node's TLS certificate and enrollment (signing) certificate expire, read from the
 * cryptogen-layout tree that network.json names: Fabric networks stop when these expire, so
 * {@code status} shows them.
 */
final class CertificateDates {
  /** Fewer days left than this earns a warning in {@code status}. */
  static final long WARN_DAYS = 30;

  private CertificateDates() {}

  static List<CertificateView> of(NetworkProfile profile, Instant now) {
    List<CertificateView> views = new ArrayList<>();
    for (NetworkProfile.NodeEntry n : profile.nodes()) {
      Path dir = profile.nodeCryptoDir(n);
      Optional<Instant> tls = notAfter(dir.resolve("tls").resolve("server.crt"));
      Optional<Instant> enrollment = firstPem(dir.resolve("msp").resolve("signcerts")).flatMap(CertificateDates::notAfter);
      views.add(new CertificateView(n.name(),
          tls.map(Instant::toString).orElse(null), tls.map(t -> daysLeft(now, t)).orElse(null),
          enrollment.map(Instant::toString).orElse(null), enrollment.map(t -> daysLeft(now, t)).orElse(null)));
    }
    return views;
  }

  /** Whole days until {@code notAfter}; negative once it has passed. */
  static long daysLeft(Instant now, Instant notAfter) {
    return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
  }

  private static Optional<Instant> notAfter(Path pem) {
    if (!Files.isRegularFile(pem)) {
      return Optional.empty();
    }
    try {
      X509Certificate cert = Pem.readCertificate(pem);
      return Optional.of(cert.getNotAfter().toInstant());
    } catch (RuntimeException e) {
      return Optional.empty(); // status reports the date as unknown; render rewrites a broken tree
    }
  }

  private static Optional<Path> firstPem(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".pem")).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
