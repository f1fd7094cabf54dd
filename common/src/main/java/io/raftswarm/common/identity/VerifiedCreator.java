package io.raftswarm.common.identity;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * An identity that {@link MspRegistry#validateCreator} accepted.
 *
 * @param role the NodeOU role ("peer", "orderer", "client", "admin") when the certificate has one
 */
public record VerifiedCreator(String mspId, X509Certificate certificate, Optional<String> role) {
  public VerifiedCreator {
    Objects.requireNonNull(mspId, "mspId");
    Objects.requireNonNull(certificate, "certificate");
    role = Objects.requireNonNullElse(role, Optional.empty());
  }

  /** True when the identity has the given NodeOU role; "member" matches every identity of the MSP. */
  public boolean hasRole(String wanted) {
    return "member".equals(wanted) || role.filter(wanted::equals).isPresent();
  }
}
