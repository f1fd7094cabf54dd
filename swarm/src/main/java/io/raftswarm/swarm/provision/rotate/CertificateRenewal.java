package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * A node's certificate issued again: the same common name, NodeOU, subject alternative names and
 * TLS usages as the one it replaces, by the same CA, for a given public key (the node's own key
 * unless a new one was made). The common name stays because it is the node's identity: the
 * orderers' Raft peer id is the CN of their TLS certificate, and the MSP names nodes by it.
 */
final class CertificateRenewal {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private CertificateRenewal() {}

  /**
   * The renewed certificate; fails when {@code old} was not issued by {@code ca} (the network
   * dir's CA is not the one the node's certificate came from: another render).
   */
  static X509Certificate renew(X509Certificate old, CertificateAuthority ca, PublicKey key, Duration validity) {
    try {
      old.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate " + old.getSubjectX500Principal().getName() + " was not issued by "
          + ca.certificate().getSubjectX500Principal().getName());
    }
    return ca.issue(requestLike(old), key, validity);
  }

  /** What {@code old} certifies, as a request: CN, OU, DNS and IP SANs, server/client usage. */
  static CertificateRequest requestLike(X509Certificate old) {
    X500Name subject = X500Name.getInstance(old.getSubjectX500Principal().getEncoded());
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    try {
      Collection<List<?>> sans = old.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        int type = (Integer) san.get(0);
        if (type == 2) {
          dns.add(String.valueOf(san.get(1)));
        } else if (type == 7) {
          ips.add(String.valueOf(san.get(1)));
        }
      }
      List<String> usages = old.getExtendedKeyUsage() == null ? List.of() : old.getExtendedKeyUsage();
      return new CertificateRequest(first(subject, BCStyle.CN), first(subject, BCStyle.OU), dns, ips,
          usages.contains(SERVER_AUTH), usages.contains(CLIENT_AUTH));
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("cannot read the extensions of " + old.getSubjectX500Principal().getName()
          + ": " + e.getMessage(), e);
    }
  }

  private static String first(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }
}
