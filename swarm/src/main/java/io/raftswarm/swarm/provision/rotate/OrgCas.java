package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.EcKeys;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.swarm.error.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

/**
 * An org's two CAs as cryptogen leaves them in the org directory: {@code ca/} issues enrollment
 * (MSP signing) certificates, {@code tlsca/} TLS certificates; each holds its certificate
 * ({@code <name>.<domain>-cert.pem}) and its private key ({@code *_sk}). render keeps them in the
 * operator's network dir only (bundles carry no CA key), so renewing needs that dir.
 */
record OrgCas(CertificateAuthority ca, CertificateAuthority tlsCa) {

  /** Loads both CAs of the org directory {@code orgDir} (e.g. crypto-config/ordererOrganizations/example.com). */
  static OrgCas load(Path orgDir) {
    String domain = orgDir.getFileName().toString();
    return new OrgCas(load(orgDir.resolve("ca"), "ca." + domain), load(orgDir.resolve("tlsca"), "tlsca." + domain));
  }

  private static CertificateAuthority load(Path dir, String name) {
    Path certFile = dir.resolve(name + "-cert.pem");
    if (!Files.isRegularFile(certFile)) {
      throw new UserError("no CA certificate " + certFile + "; rotate-certs issues certificates with the CAs that render"
          + " wrote into the network dir: pass --network with the directory raftswarm render/provision wrote");
    }
    X509Certificate cert = Pem.readCertificate(certFile);
    for (Path keyFile : keyFiles(dir)) {
      PrivateKey key = Pem.readPrivateKey(keyFile);
      if (EcKeys.matches(key, cert.getPublicKey())) {
        return CertificateAuthority.load(cert, key);
      }
    }
    throw new UserError("no private key of CA " + name + " in " + dir + " (a *_sk file matching " + certFile.getFileName()
        + "); this network dir holds no CA keys (a bundle or a copy without them?): run rotate-certs with --network"
        + " set to the directory raftswarm render/provision wrote, which keeps the CA keys");
  }

  private static List<Path> keyFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith("_sk")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
