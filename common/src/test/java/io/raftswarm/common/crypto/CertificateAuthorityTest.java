package io.raftswarm.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private final CertificateAuthority ca =
      CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", "San Francisco");

  @Test
  void ca_certificate_is_a_self_signed_p256_ca_with_key_cert_sign() throws Exception {
    X509Certificate cert = ca.certificate();
    cert.verify(cert.getPublicKey());
    assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getSubjectX500Principal().getName())
        .contains("CN=ca.org1.example.com", "O=org1.example.com", "C=US", "L=San Francisco");
    assertThat(cert.getNotAfter().getTime() - cert.getNotBefore().getTime())
        .isGreaterThanOrEqualTo(TimeUnit.DAYS.toMillis(3650));
  }

  @Test
  void issued_tls_certificate_verifies_against_its_ca_and_carries_sans_and_usages() throws Exception {
    IssuedCertificate issued = ca.issue(CertificateRequest.tls(
        "peer0.org1.example.com", List.of("peer0.org1.example.com", "peer0", "127.0.0.1", "localhost", "::1")));
    X509Certificate cert = issued.certificate();

    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "peer0.org1.example.com"), List.of(2, "peer0"), List.of(2, "localhost"),
        List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(EcKeys.matches(issued.keyPair().getPrivate(), cert.getPublicKey())).isTrue();
  }

  @Test
  void certificate_from_another_ca_does_not_verify() {
    CertificateAuthority other = CertificateAuthority.create("ca.org2.example.com", "org2.example.com", "US", null);
    X509Certificate cert = other.issue(CertificateRequest.signing("peer0.org2.example.com", "peer")).certificate();
    assertThatThrownBy(() -> cert.verify(ca.certificate().getPublicKey())).isInstanceOf(SignatureException.class);
  }

  @Test
  void signing_certificate_has_the_node_ou_and_no_tls_usage() throws Exception {
    X509Certificate cert = ca.issue(CertificateRequest.signing("orderer.example.com", "orderer")).certificate();
    assertThat(cert.getSubjectX500Principal().getName()).contains("OU=orderer", "CN=orderer.example.com");
    assertThat(cert.getExtendedKeyUsage()).isNull();
    assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
  }

  @Test
  void openssl_accepts_the_issued_certificate(@TempDir Path dir) throws Exception {
    Path caFile = Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));
    Path certFile = Files.writeString(dir.resolve("cert.pem"), Pem.encode(ca.issue(
        CertificateRequest.tls("orderer.example.com", List.of("orderer.example.com", "127.0.0.1"))).certificate()));

    Process openssl;
    try {
      openssl = new ProcessBuilder("openssl", "verify", "-CAfile", caFile.toString(), certFile.toString())
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("openssl is not on PATH (" + e.getMessage() + "); install it"
          + " (apt-get install -y openssl, as scripts/test does) to cross-check our certificates", e);
    }
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.exitValue()).as(output).isZero();
    assertThat(output).contains("OK");
  }

  @Test
  void loaded_ca_issues_certificates_that_chain_to_the_original() throws Exception {
    CertificateAuthority reloaded = CertificateAuthority.load(
        Pem.readCertificate(Pem.encode(ca.certificate()).getBytes(StandardCharsets.US_ASCII)),
        Pem.readPrivateKey(Pem.encode(ca.privateKey()).getBytes(StandardCharsets.US_ASCII)));
    reloaded.issue(CertificateRequest.signing("User1@org1.example.com", "client")).certificate()
        .verify(ca.certificate().getPublicKey());
  }

  @Test
  void request_rejects_a_non_ip_in_ip_sans_and_an_unknown_ou() {
    assertThatThrownBy(() -> new CertificateRequest("x", null, List.of(), List.of("host.example.com"), true, true))
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> CertificateRequest.signing("x", "operator")).hasMessageContaining("must be one of");
  }
}
