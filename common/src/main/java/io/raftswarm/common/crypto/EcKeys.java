package io.raftswarm.common.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
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

  /**
   * True when the private key belongs to the public key (checked by signing a probe). In AWS-LC
   * when it loads: the JDK's EC arithmetic, still interpreted when a CLI command starts, took a
   * tenth of a second of every {@code raftswarm query}.
   */
  public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    byte[] probe = "raftswarm key match".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    PrivateKey nativePrivate = NativeEcdsa.privateKey(privateKey);
    PublicKey nativePublic = nativePrivate == null ? null : NativeEcdsa.publicKey(publicKey);
    boolean inNative = nativePublic != null;
    try {
      Signature signer = inNative ? NativeEcdsa.signer() : Signature.getInstance("SHA256withECDSA");
      signer.initSign(inNative ? nativePrivate : privateKey);
      signer.update(probe);
      Signature verifier = inNative ? NativeEcdsa.signer() : Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(inNative ? nativePublic : publicKey);
      verifier.update(probe);
      return verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      return false;
    }
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
