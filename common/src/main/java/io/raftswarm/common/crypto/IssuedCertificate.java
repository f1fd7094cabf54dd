package io.raftswarm.common.crypto;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate together with the freshly generated key pair it certifies. */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {
  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(keyPair, "keyPair");
  }
}
