package io.raftswarm.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

class PemTest {
  @Test
  void private_key_round_trips_as_pkcs8() {
    KeyPair keys = EcKeys.generate();
    String pem = Pem.encode(keys.getPrivate());
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(pem.getBytes(StandardCharsets.US_ASCII))).isEqualTo(keys.getPrivate());
  }

  @Test
  void sec1_ec_private_key_is_read_as_the_same_jdk_key() throws Exception {
    KeyPair keys = EcKeys.generate();
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    java.io.StringWriter out = new java.io.StringWriter();
    try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(out)) {
      // as openssl writes it: with the named curve in the parameters field
      var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
          ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(), info.getPrivateKeyAlgorithm().getParameters());
      writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    java.security.PrivateKey read = Pem.readPrivateKey(out.toString().getBytes(StandardCharsets.US_ASCII));
    assertThat(read.getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPrivateKey) read).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS());
    assertThat(read.getClass().getName()).startsWith("sun.security.ec");
  }

  @Test
  void reads_several_certificates_from_one_file() {
    CertificateAuthority a = CertificateAuthority.create("ca.a", "a", "US", null);
    CertificateAuthority b = CertificateAuthority.create("ca.b", "b", "US", null);
    byte[] both = (Pem.encode(a.certificate()) + Pem.encode(b.certificate())).getBytes(StandardCharsets.US_ASCII);
    assertThat(Pem.readCertificates(both)).containsExactly(a.certificate(), b.certificate());
  }

  @Test
  void garbage_is_rejected_with_a_message() {
    assertThatThrownBy(() -> Pem.readPrivateKey("nope".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("no PRIVATE KEY");
    assertThatThrownBy(() -> Pem.readCertificate(new byte[0])).hasMessageContaining("no CERTIFICATE");
  }

  @Test
  void ski_is_the_sha256_of_the_uncompressed_point() throws Exception {
    KeyPair keys = EcKeys.generate();
    byte[] point = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes();
    assertThat(point).hasSize(65);
    assertThat(point[0]).isEqualTo((byte) 4);
    String expected = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(point));
    assertThat(EcKeys.ski(keys.getPublic())).isEqualTo(expected).hasSize(64);
  }
}
