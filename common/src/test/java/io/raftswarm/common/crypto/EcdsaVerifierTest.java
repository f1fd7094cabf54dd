package io.raftswarm.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

class EcdsaVerifierTest {
  private final KeyPair keys = EcKeys.generate();
  private final byte[] message = "an envelope payload".getBytes(StandardCharsets.UTF_8);

  private byte[] signLowS(byte[] data) throws Exception {
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(data);
    BigInteger[] rs = decode(signer.sign());
    BigInteger n = ((ECPublicKey) keys.getPublic()).getParams().getOrder();
    if (rs[1].compareTo(n.shiftRight(1)) > 0) {
      rs[1] = n.subtract(rs[1]);
    }
    return encode(rs[0], rs[1]);
  }

  private static BigInteger[] decode(byte[] der) {
    ASN1Sequence seq = ASN1Sequence.getInstance(der);
    return new BigInteger[] {ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(),
        ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()};
  }

  private static byte[] encode(BigInteger r, BigInteger s) throws Exception {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(s));
    return new DERSequence(v).getEncoded();
  }

  /** The same public key prepared for each backend: every check below must hold for both. */
  private static java.util.List<EcdsaVerifier.Key> both(java.security.PublicKey publicKey) {
    return java.util.List.of(EcdsaVerifier.prepare(publicKey, true), EcdsaVerifier.prepare(publicKey, false));
  }

  @Test
  void the_native_backend_loads_on_linux_x86_64_and_is_the_default() {
    assertThat(EcdsaVerifier.nativeAvailable()).as("AWS-LC via ACCP loaded").isTrue();
    assertThat(EcdsaVerifier.prepare(keys.getPublic()).isNative()).isTrue();
    assertThat(EcdsaVerifier.prepare(keys.getPublic(), false).isNative()).isFalse();
  }

  @Test
  void agrees_with_the_jdk_on_a_valid_low_s_signature() throws Exception {
    byte[] signature = signLowS(message);
    for (EcdsaVerifier.Key key : both(keys.getPublic())) {
      assertThat(EcdsaVerifier.verify(key, message, signature)).as("native=%s", key.isNative()).isTrue();
    }
    Signature jdk = Signature.getInstance("SHA256withECDSA");
    jdk.initVerify(keys.getPublic());
    jdk.update(message);
    assertThat(jdk.verify(signature)).isTrue();
  }

  @Test
  void refuses_a_signature_over_other_bytes() throws Exception {
    byte[] signature = signLowS(message);
    byte[] tampered = message.clone();
    tampered[0] ^= 1;

    for (EcdsaVerifier.Key key : both(keys.getPublic())) {
      assertThat(EcdsaVerifier.verify(key, tampered, signature)).as("native=%s", key.isNative()).isFalse();
    }
  }

  @Test
  void refuses_the_high_s_twin_of_a_valid_signature() throws Exception {
    BigInteger[] rs = decode(signLowS(message));
    BigInteger n = ((ECPublicKey) keys.getPublic()).getParams().getOrder();

    byte[] highS = encode(rs[0], n.subtract(rs[1]));

    for (EcdsaVerifier.Key key : both(keys.getPublic())) {
      assertThat(EcdsaVerifier.verify(key, message, highS)).as("native=%s", key.isNative()).isFalse();
    }
  }

  @Test
  void refuses_trailing_bytes_and_garbage() throws Exception {
    byte[] signature = signLowS(message);
    byte[] trailing = java.util.Arrays.copyOf(signature, signature.length + 1);
    for (EcdsaVerifier.Key key : both(keys.getPublic())) {
      assertThat(EcdsaVerifier.verify(key, message, trailing)).isFalse();
      assertThat(EcdsaVerifier.verify(key, message, new byte[] {0x30, 0x02, 0x01})).isFalse();
      assertThat(EcdsaVerifier.verify(key, message, new byte[0])).isFalse();
    }
  }

  @Test
  void refuses_a_signature_by_another_key() throws Exception {
    byte[] signature = signLowS(message);

    for (EcdsaVerifier.Key key : both(EcKeys.generate().getPublic())) {
      assertThat(EcdsaVerifier.verify(key, message, signature)).as("native=%s", key.isNative()).isFalse();
    }
  }


  @Test
  void accepts_every_signature_of_a_fabric_signing_identity() {
    var ca = io.raftswarm.common.crypto.CertificateAuthority.create("ca.org1", "Org1", "US", "Here");
    var issued = ca.issue(new io.raftswarm.common.crypto.CertificateRequest("User1@org1", "client", java.util.List.of(),
        java.util.List.of(), false, false));
    var identity = new io.raftswarm.common.identity.SigningIdentity("Org1MSP", issued.certificate(), issued.keyPair().getPrivate());
    java.util.Random random = new java.util.Random(7);
    int refused = 0;
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[64 + random.nextInt(64)];
      random.nextBytes(data);
      byte[] signature = identity.sign(data);
      for (EcdsaVerifier.Key key : both(issued.certificate().getPublicKey())) {
        if (!EcdsaVerifier.verify(key, data, signature)) {
          refused++;
        }
      }
    }
    assertThat(refused).isZero();
  }
}
