package io.raftswarm.peer.endorser;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.identity.OrgMsp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the verifying part of a node's local MSP directory (cacerts, tlscacerts, admincerts). */
public final class LocalMsp {
  private LocalMsp() {}

  public static OrgMsp load(Path mspDir, String mspId) {
    List<X509Certificate> roots = certificates(mspDir.resolve("cacerts"));
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("local MSP " + mspDir + " has no CA certificate in cacerts/; is CORE_PEER_MSPCONFIGPATH right?");
    }
    return new OrgMsp(mspId, roots, certificates(mspDir.resolve("tlscacerts")), certificates(mspDir.resolve("admincerts")));
  }

  private static List<X509Certificate> certificates(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<X509Certificate> certs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        certs.addAll(Pem.readCertificates(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return certs;
  }
}
