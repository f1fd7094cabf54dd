package io.raftswarm.common.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * SHA256withECDSA verification of P-256 signatures, with the same checks as Fabric's MSP: the
 * signature must be exactly one DER encoding and low-S (checked here, before any backend sees it).
 * Per-transaction verification is the orderer's largest CPU cost per transaction.
 *
 * <p>The backend is AWS-LC through the Amazon Corretto Crypto Provider when its native library
 * loads (Linux x86_64 and aarch64 with glibc): ~55 us per verify on this project's 2-core machine.
 * Otherwise, or with {@code RAFTSWARM_ECDSA=bc}, BouncyCastle's low-level signer: ~90 us (JDK 17's
 * SunEC needs ~1 ms). A {@link Key} is prepared once per creator and reused. Thread-safe.
 */
public final class EcdsaVerifier {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
  private static final BigInteger HALF_ORDER = P256.getN().shiftRight(1);
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  });

  private EcdsaVerifier() {}

  /** A P-256 public key ready for repeated verification. */
  public static final class Key {
    private final ECPublicKeyParameters parameters;
    /** The same key inside the native provider, or null to verify with BouncyCastle. */
    private final PublicKey nativeKey;

    private Key(ECPublicKeyParameters parameters, PublicKey nativeKey) {
      this.parameters = parameters;
      this.nativeKey = nativeKey;
    }

    /** Whether this key verifies natively (AWS-LC) rather than with BouncyCastle. */
    public boolean isNative() {
      return nativeKey != null;
    }
  }

  /** Whether the native backend loaded (and was not switched off with RAFTSWARM_ECDSA=bc). */
  public static boolean nativeAvailable() {
    return NativeEcdsa.PROVIDER != null;
  }

  /** The prepared key, or null when {@code key} is not an EC key on P-256 (callers fall back to the JDK). */
  public static Key prepare(PublicKey key) {
    return prepare(key, nativeAvailable());
  }

  /** As {@link #prepare(PublicKey)}, choosing the backend (tests compare the two). */
  static Key prepare(PublicKey key, boolean useNative) {
    if (!(key instanceof ECPublicKey ec) || ec.getParams().getOrder().compareTo(P256.getN()) != 0
        || ec.getParams().getCurve().getA().compareTo(P256.getCurve().getA().toBigInteger()) != 0) {
      return null;
    }
    var point = P256.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY());
    if (!point.isValid()) {
      return null;
    }
    return new Key(new ECPublicKeyParameters(point, DOMAIN), useNative ? NativeEcdsa.publicKey(key) : null);
  }

  /** True when {@code signature} (DER, low-S) is a valid signature of SHA-256({@code message}) by {@code key}. */
  public static boolean verify(Key key, byte[] message, byte[] signature) {
    return verify(key, java.nio.ByteBuffer.wrap(message), signature);
  }

  /** As {@link #verify(Key, byte[], byte[])}, hashing the message without copying it. */
  public static boolean verify(Key key, java.nio.ByteBuffer message, byte[] signature) {
    BigInteger[] rs = decodeStrictDer(signature);
    if (rs == null || rs[0].signum() <= 0 || rs[1].signum() <= 0 || rs[1].compareTo(HALF_ORDER) > 0
        || rs[0].compareTo(P256.getN()) >= 0) {
      return false;
    }
    if (key.nativeKey != null) {
      return NativeEcdsa.verify(key.nativeKey, message, signature);
    }
    MessageDigest digest = SHA256.get();
    digest.reset();
    digest.update(message);
    byte[] hash = digest.digest();
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key.parameters);
    return signer.verifySignature(hash, rs[0], rs[1]);
  }

  /** {r, s} of a DER SEQUENCE of two INTEGERs, or null unless the bytes are exactly that encoding. */
  private static BigInteger[] decodeStrictDer(byte[] der) {
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
      if (!(primitive instanceof ASN1Sequence seq) || seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer r) || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
        return null;
      }
      // Refuse BER variants and trailing bytes: one signature, one encoding.
      if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), der)) {
        return null;
      }
      return new BigInteger[] {r.getValue(), s.getValue()};
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
