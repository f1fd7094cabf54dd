package io.raftswarm.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.IssuedCertificate;
import io.raftswarm.common.crypto.Pem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningIdentityTest {
  private final CertificateAuthority ca = CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", null);
  private final IssuedCertificate issued = ca.issue(CertificateRequest.signing("User1@org1.example.com", "client"));
  private final SigningIdentity identity =
      new SigningIdentity("Org1MSP", issued.certificate(), issued.keyPair().getPrivate());

  @Test
  void signatures_verify_and_are_always_low_s() {
    BigInteger halfOrder = ((ECPublicKey) issued.certificate().getPublicKey()).getParams().getOrder().shiftRight(1);
    for (int i = 0; i < 64; i++) { // about half of raw ECDSA signatures are high-S; 64 tries make a miss vanishingly unlikely
      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] signature = identity.sign(message);
      assertThat(Signatures.decode(signature)[1]).isLessThanOrEqualTo(halfOrder);
      assertThat(Identities.verify(identity.certificate(), message, signature)).isTrue();
    }
  }

  @Test
  void high_s_twin_of_a_valid_signature_is_rejected_like_fabric_does() {
    byte[] message = "tx".getBytes(StandardCharsets.UTF_8);
    BigInteger[] rs = Signatures.decode(identity.sign(message));
    BigInteger order = ((ECPublicKey) issued.certificate().getPublicKey()).getParams().getOrder();
    byte[] highS = Signatures.encode(rs[0], order.subtract(rs[1]));
    assertThat(Identities.verify(identity.certificate(), message, highS)).isFalse();
  }

  @Test
  void signature_over_another_message_or_by_another_key_is_rejected() {
    byte[] signature = identity.sign("a".getBytes(StandardCharsets.UTF_8));
    assertThat(Identities.verify(identity.certificate(), "b".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    var other = ca.issue(CertificateRequest.signing("User2@org1.example.com", "client")).certificate();
    assertThat(Identities.verify(other, "a".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    assertThat(Identities.verify(other, "a".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3})).isFalse();
  }

  @Test
  void serialized_identity_is_msp_id_plus_pem_and_deserializes_back() throws Exception {
    SerializedIdentity proto = SerializedIdentity.parseFrom(identity.serialize());
    assertThat(proto.getMspid()).isEqualTo("Org1MSP");
    assertThat(proto.getIdBytes().toStringUtf8()).isEqualTo(Pem.encode(issued.certificate()));

    DeserializedIdentity back = Identities.deserialize(identity.serialize());
    assertThat(back).isEqualTo(new DeserializedIdentity("Org1MSP", issued.certificate()));
  }

  @Test
  void deserialize_rejects_garbage() {
    assertThatThrownBy(() -> Identities.deserialize(ByteString.copyFromUtf8("\u00ff\u00ff\u00ff")))
        .isInstanceOf(IdentityException.class);
    ByteString noCert = SerializedIdentity.newBuilder().setMspid("Org1MSP").setIdBytes(ByteString.copyFromUtf8("x")).build().toByteString();
    assertThatThrownBy(() -> Identities.deserialize(noCert)).isInstanceOf(IdentityException.class)
        .hasMessageContaining("Org1MSP");
  }

  @Test
  void loads_from_a_cryptogen_msp_directory_picking_the_matching_key(@TempDir Path msp) throws Exception {
    Files.createDirectories(msp.resolve("signcerts"));
    Files.createDirectories(msp.resolve("keystore"));
    Files.writeString(msp.resolve("signcerts/User1@org1.example.com-cert.pem"), Pem.encode(issued.certificate()));
    var unrelated = ca.issue(CertificateRequest.signing("x", null)).keyPair().getPrivate();
    Files.writeString(msp.resolve("keystore/aaaa_sk"), Pem.encode(unrelated));
    Files.writeString(msp.resolve("keystore/priv_sk"), Pem.encode(issued.keyPair().getPrivate()));

    SigningIdentity loaded = SigningIdentity.load(msp, "Org1MSP");
    assertThat(loaded.certificate()).isEqualTo(issued.certificate());
    assertThat(loaded.serialize()).isEqualTo(identity.serialize());
    assertThat(Identities.verify(issued.certificate(), new byte[] {7}, loaded.sign(new byte[] {7}))).isTrue();
  }

  @Test
  void load_names_the_missing_directory(@TempDir Path msp) {
    assertThatThrownBy(() -> SigningIdentity.load(msp, "Org1MSP"))
        .isInstanceOf(IdentityException.class).hasMessageContaining("signcerts");
  }
}
