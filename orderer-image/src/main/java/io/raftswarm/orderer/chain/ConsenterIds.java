package io.raftswarm.orderer.chain;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Names consenters for Ratis. One Ratis server serves all channels of an orderer, so its peer id
 * must be the same in every channel, while etcdraft consenter ids (1..N) are per channel. The
 * peer id is therefore the common name of the consenter's server TLS certificate (e.g.
 * {@code orderer3.example.com}, unique in a cryptogen network), falling back to the cluster
 * endpoint when a certificate has no CN.
 */
public final class ConsenterIds {
  private ConsenterIds() {}

  public static String peerId(Consenter consenter) {
    return commonName(Pem.readCertificate(consenter.serverTlsCertPem())).orElse(consenter.clusterEndpoint());
  }

  public static String peerId(X509Certificate tlsCertificate, String fallback) {
    return commonName(tlsCertificate).orElse(fallback);
  }

  /**
   * This orderer's Raft peer id: its TLS certificate's common name, which stays when the
   * certificate is renewed; without a common name, the endpoint of the consenter recorded with
   * this very certificate ("" when there is none).
   */
  public static String selfPeerId(ChannelConfig channel, X509Certificate tlsCertificate) {
    return commonName(tlsCertificate).orElseGet(() -> channel.consenters().stream()
        .filter(c -> matches(c.serverTlsCertPem(), tlsCertificate) || matches(c.clientTlsCertPem(), tlsCertificate))
        .map(Consenter::clusterEndpoint).findFirst().orElse(""));
  }

  /** The consenter id of the orderer owning {@code tlsCertificate} in {@code channel}, or 0. */
  public static int consenterId(ChannelConfig channel, X509Certificate tlsCertificate) {
    for (Consenter c : channel.consenters()) {
      if (matches(c.serverTlsCertPem(), tlsCertificate) || matches(c.clientTlsCertPem(), tlsCertificate)) {
        return c.id();
      }
    }
    return 0;
  }

  /** DER encodings of every consenter certificate (server and client) of the channel. */
  public static Set<ByteKey> certificates(ChannelConfig channel) {
    Set<ByteKey> set = new HashSet<>();
    for (Consenter c : channel.consenters()) {
      set.add(ByteKey.of(Pem.readCertificate(c.serverTlsCertPem())));
      set.add(ByteKey.of(Pem.readCertificate(c.clientTlsCertPem())));
    }
    return set;
  }

  private static boolean matches(byte[] pem, X509Certificate cert) {
    return Pem.readCertificate(pem).equals(cert);
  }

  private static java.util.Optional<String> commonName(X509Certificate cert) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] cns = name.getRDNs(BCStyle.CN);
    if (cns.length == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
  }

  /** A byte array usable as a set element. */
  public record ByteKey(byte[] bytes) {
    public static ByteKey of(X509Certificate cert) {
      try {
        return new ByteKey(cert.getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalArgumentException(e);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

}
