package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.EcKeys;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.files.FileTrees;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Issues the node's new TLS certificate (server and client use, same CN and SANs) with its org's
 * TLS CA and its new enrollment certificate (same CN and NodeOU) with its org's CA, for the keys
 * it has (or new ones with {@code --new-key}), into {@code rotate-certs/<fqdn>/new/}: a full copy
 * of the node's {@code msp/} and {@code tls/} with the two pairs replaced, written to a staging
 * directory and moved into place. When an interrupted run left whole material there, it is used
 * as it is ("unchanged"): its TLS certificate may already be in the channel config.
 */
final class RenewCertificatesStep implements ProvisionStep<NodeMaterial> {
  private final RotationTarget target;
  private final RotationSettings settings;

  RenewCertificatesStep(RotationTarget target, RotationSettings settings) {
    this.target = target;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "RenewCertificates " + target.label();
  }

  @Override
  public StepOutcome<NodeMaterial> run(Progress progress) throws IOException {
    OrgCas cas = OrgCas.load(target.orgDir());
    NodeMaterial pending = new NodeMaterial(target.pending());
    if (Files.isDirectory(pending.dir()) && pending.isWholeAndIssuedBy(cas)) {
      return StepOutcome.unchanged(pending, "using the certificates an earlier run issued (TLS serial "
          + pending.tls().getSerialNumber().toString(16) + ", until " + pending.tls().getNotAfter().toInstant() + ")");
    }
    NodeMaterial current = new NodeMaterial(target.local());
    if (!Files.isRegularFile(current.tlsCert())) {
      throw new UserError("no TLS certificate of " + target.name() + " at " + current.tlsCert()
          + "; rotate-certs renews the material render wrote into the network dir: pass --network with that directory");
    }
    Path staging = target.work().resolve(".new-" + UUID.randomUUID());
    try {
      for (String part : NodeMaterial.PARTS) {
        FileTrees.copy(current.dir().resolve(part), staging.resolve(part));
      }
      NodeMaterial renewed = new NodeMaterial(staging);
      X509Certificate tls = renewTls(renewed, cas);
      X509Certificate enrollment = renewEnrollment(renewed, cas);
      FileTrees.deleteRecursively(pending.dir());
      Files.move(staging, pending.dir(), StandardCopyOption.ATOMIC_MOVE);
      restrict(target.work());
      return StepOutcome.done(pending, (settings.newKey() ? "new keys; " : "same keys; ") + "TLS certificate until "
          + tls.getNotAfter().toInstant() + ", enrollment until " + enrollment.getNotAfter().toInstant());
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  private X509Certificate renewTls(NodeMaterial m, OrgCas cas) throws IOException {
    X509Certificate old = m.tls();
    PublicKey key = old.getPublicKey();
    if (settings.newKey()) {
      KeyPair keys = EcKeys.generate();
      writeKey(m.tlsKey(), keys);
      key = keys.getPublic();
    } else if (!EcKeys.matches(Pem.readPrivateKey(m.tlsKey()), key)) {
      throw new UserError(m.tlsKey() + " is not the key of " + m.tlsCert() + "; give --new-key to issue for a new key");
    }
    X509Certificate renewed = renew(old, cas.tlsCa(), key, "TLS");
    Files.writeString(m.tlsCert(), Pem.encode(renewed), StandardCharsets.US_ASCII);
    return renewed;
  }

  private X509Certificate renewEnrollment(NodeMaterial m, OrgCas cas) throws IOException {
    X509Certificate old = m.enrollment();
    Path signcert = m.signcert();
    PublicKey key = old.getPublicKey();
    if (settings.newKey()) {
      KeyPair keys = EcKeys.generate();
      try (Stream<Path> stale = Files.list(m.keystore())) {
        for (Path p : stale.toList()) {
          Files.delete(p);
        }
      }
      writeKey(m.keystore().resolve("priv_sk"), keys);
      key = keys.getPublic();
    } else if (m.enrollmentKey().isEmpty()) {
      throw new UserError("no key in " + m.keystore() + " belongs to " + signcert + "; give --new-key to issue for a new key");
    }
    X509Certificate renewed = renew(old, cas.ca(), key, "enrollment");
    Files.writeString(signcert, Pem.encode(renewed), StandardCharsets.US_ASCII);
    return renewed;
  }

  private X509Certificate renew(X509Certificate old, io.raftswarm.common.crypto.CertificateAuthority ca, PublicKey key,
      String what) {
    try {
      return CertificateRenewal.renew(old, ca, key, settings.validity());
    } catch (IllegalArgumentException e) {
      throw new UserError("cannot renew the " + what + " certificate of " + target.name() + ": " + e.getMessage()
          + "; the CA in " + target.orgDir() + " is not the one that issued it (was the network dir rendered anew?)", e);
    }
  }

  private static void writeKey(Path file, KeyPair keys) throws IOException {
    Files.writeString(file, Pem.encode(keys.getPrivate()), StandardCharsets.US_ASCII);
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** The work directory holds private keys: owner only. */
  private static void restrict(Path dir) throws IOException {
    for (Path p : new Path[] {dir.getParent(), dir}) {
      if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }
}
