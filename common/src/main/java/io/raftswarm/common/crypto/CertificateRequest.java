package io.raftswarm.common.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/**
 * What a {@link CertificateAuthority} should put in a leaf certificate.
 *
 * @param organizationalUnit the NodeOU ("orderer", "peer", "client", "admin") or null
 * @param dnsNames DNS subject alternative names
 * @param ipAddresses IP subject alternative names (IPv4 or IPv6 literals)
 * @param tlsServer add extended key usage serverAuth
 * @param tlsClient add extended key usage clientAuth
 */
public record CertificateRequest(
    String commonName,
    String organizationalUnit,
    List<String> dnsNames,
    List<String> ipAddresses,
    boolean tlsServer,
    boolean tlsClient) {

  private static final Set<String> NODE_OUS = Set.of("orderer", "peer", "client", "admin");

  public CertificateRequest {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("certificate request needs a common name");
    }
    if (organizationalUnit != null && !NODE_OUS.contains(organizationalUnit)) {
      throw new IllegalArgumentException(
          "organizational unit '" + organizationalUnit + "' for " + commonName + " must be one of " + NODE_OUS);
    }
    dnsNames = List.copyOf(Objects.requireNonNullElse(dnsNames, List.of()));
    ipAddresses = List.copyOf(Objects.requireNonNullElse(ipAddresses, List.of()));
    for (String ip : ipAddresses) {
      if (!isIpLiteral(ip)) {
        throw new IllegalArgumentException("'" + ip + "' in the IP SANs of " + commonName + " is not an IP address");
      }
    }
  }

  /** A signing (enrollment) certificate: no SANs, no TLS usage. */
  public static CertificateRequest signing(String commonName, String organizationalUnit) {
    return new CertificateRequest(commonName, organizationalUnit, List.of(), List.of(), false, false);
  }

  /**
   * A TLS certificate usable both as server and client (as cryptogen issues them); each SAN that
   * is an IP literal becomes an IP SAN, the rest DNS SANs. Duplicates are dropped.
   */
  public static CertificateRequest tls(String commonName, List<String> sans) {
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    for (String san : sans) {
      List<String> target = isIpLiteral(san) ? ips : dns;
      if (!target.contains(san)) {
        target.add(san);
      }
    }
    return new CertificateRequest(commonName, null, dns, ips, true, true);
  }

  /** True for an IPv4 or IPv6 literal; never does a DNS lookup. */
  public static boolean isIpLiteral(String value) {
    return value != null && (IPAddress.isValidIPv4(value) || IPAddress.isValidIPv6(value));
  }
}
