package io.raftswarm.common.identity;

import java.security.cert.X509Certificate;
import java.util.Objects;

/** The MSP id and certificate carried in a {@code msp.SerializedIdentity}; not yet validated. */
public record DeserializedIdentity(String mspId, X509Certificate certificate) {
  public DeserializedIdentity {
    Objects.requireNonNull(mspId, "mspId");
    Objects.requireNonNull(certificate, "certificate");
  }
}
