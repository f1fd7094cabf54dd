package io.raftswarm.common.fabric;

import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.IssuedCertificate;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A small in-memory organization (CA + TLS CA) for tests, like cryptogen makes. */
final class TestOrgs {
  final String mspId;
  final String domain;
  final CertificateAuthority ca;
  final CertificateAuthority tlsCa;

  TestOrgs(String mspId, String domain) {
    this.mspId = mspId;
    this.domain = domain;
    this.ca = CertificateAuthority.create("ca." + domain, domain, "US", "San Francisco");
    this.tlsCa = CertificateAuthority.create("tlsca." + domain, domain, "US", "San Francisco");
  }

  OrgMsp msp() {
    return new OrgMsp(mspId, List.of(ca.certificate()), List.of(tlsCa.certificate()), List.of());
  }

  SigningIdentity identity(String name, String ou) {
    IssuedCertificate issued = ca.issue(CertificateRequest.signing(name + "." + domain, ou));
    return new SigningIdentity(mspId, issued.certificate(), issued.keyPair().getPrivate());
  }

  byte[] tlsCertPem(String host) {
    IssuedCertificate issued = tlsCa.issue(CertificateRequest.tls(host + "." + domain, List.of(host, "127.0.0.1")));
    return Pem.encode(issued.certificate()).getBytes(StandardCharsets.UTF_8);
  }

  /** Consenters orderer1..n of this org on 127.0.0.1, cluster ports 7051 + 100*i. */
  List<Consenter> consenters(int n) {
    List<Consenter> consenters = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      byte[] tls = tlsCertPem("orderer" + i);
      consenters.add(new Consenter(i, "orderer" + i + "." + domain, 7051 + 100 * i, tls, tls));
    }
    return consenters;
  }
}
