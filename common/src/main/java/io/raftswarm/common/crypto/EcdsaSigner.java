package io.raftswarm.common.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * SHA256withECDSA signing with one private key: AWS-LC (through the Amazon Corretto Crypto
 * Provider) when its native library loads, ~30x faster than JDK 17's SunEC, which is the
 * fallback. Returns the provider's DER signature as is; callers normalize it to low-S.
 * Thread-safe: each thread keeps its own {@link Signature}.
 */
public final class EcdsaSigner {
  private final PrivateKey key;
  private final boolean nativeKey;
  private final ThreadLocal<Signature> signature;

  private EcdsaSigner(PrivateKey key, boolean nativeKey) {
    this.key = key;
    this.nativeKey = nativeKey;
    this.signature = ThreadLocal.withInitial(() -> {
      try {
        return nativeKey ? NativeEcdsa.signer() : Signature.getInstance("SHA256withECDSA");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no SHA256withECDSA signer", e);
      }
    });
  }

  public static EcdsaSigner of(PrivateKey key) {
    PrivateKey inNative = NativeEcdsa.privateKey(key);
    return inNative != null ? new EcdsaSigner(inNative, true) : new EcdsaSigner(key, false);
  }

  /** Whether this signer runs in AWS-LC rather than the JDK. */
  public boolean isNative() {
    return nativeKey;
  }

  public byte[] sign(byte[] message) throws GeneralSecurityException {
    Signature s = signature.get();
    s.initSign(key);
    s.update(message);
    return s.sign();
  }
}
