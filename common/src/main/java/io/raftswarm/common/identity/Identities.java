package io.raftswarm.common.identity;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.crypto.EcdsaVerifier;
import io.raftswarm.common.crypto.Pem;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** Reading serialized identities and verifying their signatures, the way Fabric's MSP does. */
public final class Identities {
  /** P-256 keys prepared for the fast verifier, per certificate (validated creators are cached as objects). */
  private static final Map<X509Certificate, Optional<EcdsaVerifier.Key>> KEYS = new ConcurrentHashMap<>();

  private Identities() {}

  /** Parses a {@code msp.SerializedIdentity}; throws {@link IdentityException} when it is malformed. */
  public static DeserializedIdentity deserialize(ByteString serializedIdentity) {
    SerializedIdentity identity;
    try {
      identity = SerializedIdentity.parseFrom(serializedIdentity);
    } catch (InvalidProtocolBufferException e) {
      throw new IdentityException("creator is not a msp.SerializedIdentity: " + e.getMessage(), e);
    }
    if (identity.getMspid().isEmpty()) {
      throw new IdentityException("serialized identity has no MSP id");
    }
    try {
      return new DeserializedIdentity(identity.getMspid(), Pem.readCertificate(identity.getIdBytes().toByteArray()));
    } catch (IllegalArgumentException e) {
      throw new IdentityException("identity of MSP " + identity.getMspid() + " carries no valid PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies a DER SHA256withECDSA signature by the certificate's key. Like Fabric, a high-S
   * signature is rejected even though it is mathematically valid (it would be malleable).
   */
  public static boolean verify(X509Certificate certificate, byte[] message, byte[] signature) {
    if (!(certificate.getPublicKey() instanceof ECPublicKey key)) {
      return false;
    }
    if (KEYS.size() > 4096 && !KEYS.containsKey(certificate)) {
      // A bound, not an LRU: creators are few; a flood of new ones just re-prepares. Cleared
      // outside computeIfAbsent, whose mapping function must not modify the map.
      KEYS.clear();
    }
    EcdsaVerifier.Key prepared = KEYS.computeIfAbsent(certificate,
        c -> Optional.ofNullable(EcdsaVerifier.prepare(c.getPublicKey()))).orElse(null);
    if (prepared != null) {
      return EcdsaVerifier.verify(prepared, message, signature);
    }
    try {
      if (!Signatures.isLowS(signature, key)) {
        return false;
      }
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }
}
