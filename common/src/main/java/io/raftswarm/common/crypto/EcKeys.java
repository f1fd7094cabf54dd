package io.raftswarm.common.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** ECDSA P-256 keys, the only key type Fabric's cryptogen produces. */
public final class EcKeys {
  private EcKeys() {}

  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate ECDSA P-256 keys", e);
    }
  }

  /** Hex SHA-256 of the uncompressed EC point: cryptogen's subject key identifier and {@code <ski>_sk} file name. */
  public static String ski(PublicKey key) {
    return HexFormat.of().formatHex(skiBytes(key));
  }

  static byte[] skiBytes(PublicKey key) {
    if (!(key instanceof ECPublicKey)) {
      throw new IllegalArgumentException("expected an EC public key, got " + key.getAlgorithm());
    }
    byte[] point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
    try {
      return MessageDigest.getInstance("SHA-256").digest(point);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
