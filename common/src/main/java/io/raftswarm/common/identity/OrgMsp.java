package io.raftswarm.common.identity;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The verifying side of one organization's MSP: its CA roots, TLS CA roots and (legacy) admin
 * certificates. Roles come from NodeOUs: the certificate's OU names the role.
 */
public record OrgMsp(
    String mspId, List<X509Certificate> rootCerts, List<X509Certificate> tlsRootCerts, List<X509Certificate> admins) {

  /** The NodeOU roles Fabric knows, in the OU spelling cryptogen uses. */
  public static final Set<String> ROLES = Set.of("peer", "orderer", "client", "admin");

  public OrgMsp {
    if (mspId == null || mspId.isBlank()) {
      throw new IllegalArgumentException("MSP id must not be blank");
    }
    rootCerts = List.copyOf(Objects.requireNonNull(rootCerts, "rootCerts"));
    tlsRootCerts = List.copyOf(Objects.requireNonNullElse(tlsRootCerts, List.of()));
    admins = List.copyOf(Objects.requireNonNullElse(admins, List.of()));
    if (rootCerts.isEmpty()) {
      throw new IllegalArgumentException("MSP " + mspId + " needs at least one root CA certificate");
    }
  }

  /** True when the certificate is signed directly by one of this MSP's root CAs. */
  public boolean issued(X509Certificate certificate) {
    return rootCerts.stream().anyMatch(root -> signedBy(certificate, root));
  }

  /** True when the certificate is signed directly by one of this MSP's TLS root CAs. */
  public boolean issuedTls(X509Certificate certificate) {
    return tlsRootCerts.stream().anyMatch(root -> signedBy(certificate, root));
  }

  /** The NodeOU role of the certificate ("peer", "orderer", "client", "admin"), or a listed admin cert. */
  public Optional<String> role(X509Certificate certificate) {
    Optional<String> fromOu = organizationalUnits(certificate).stream().filter(ROLES::contains).findFirst();
    if (fromOu.isPresent()) {
      return fromOu;
    }
    return admins.contains(certificate) ? Optional.of("admin") : Optional.empty();
  }

  static boolean signedBy(X509Certificate certificate, X509Certificate root) {
    if (!certificate.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(root.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static List<String> organizationalUnits(X509Certificate certificate) {
    try {
      return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
          .filter(rdn -> rdn.getType().equalsIgnoreCase("OU"))
          .map(Rdn::getValue)
          .map(String::valueOf)
          .toList();
    } catch (InvalidNameException e) {
      return List.of();
    }
  }
}
