package io.raftswarm.common.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECDSA signing and verification in native code: AWS-LC through the Amazon Corretto Crypto Provider, used as a
 * plain JCA provider (not installed globally). {@link #PROVIDER} is null when the native library
 * cannot load here or {@code RAFTSWARM_ECDSA=bc} asks for BouncyCastle.
 */
final class NativeEcdsa {
  private static final Logger LOG = LoggerFactory.getLogger(NativeEcdsa.class);
  static final Provider PROVIDER = load();
  /** Signature objects are stateful; one per thread, re-initialised per key. */
  private static final ThreadLocal<Signature> VERIFIER = ThreadLocal.withInitial(() -> {
    try {
      return Signature.getInstance("SHA256withECDSA", PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the native provider lost SHA256withECDSA", e);
    }
  });

  private NativeEcdsa() {}

  private static Provider load() {
    String wanted = System.getProperty("raftswarm.ecdsa", System.getenv().getOrDefault("RAFTSWARM_ECDSA", ""));
    if ("bc".equalsIgnoreCase(wanted.trim())) {
      return null;
    }
    try {
      AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable error = provider.getLoadingError();
      if (error != null) {
        LOG.info("Native ECDSA (AWS-LC) is not available here, verifying with BouncyCastle and signing with the JDK: {}", error.toString());
        return null;
      }
      LOG.info("Signing and verifying ECDSA natively with AWS-LC ({} {})", provider.getName(), provider.getVersionStr());
      return provider;
    } catch (LinkageError e) {
      LOG.info("Native ECDSA (AWS-LC) is not available here, verifying with BouncyCastle and signing with the JDK: {}", e.toString());
      return null;
    }
  }

  /** The key inside the native provider, or null (then BouncyCastle verifies). */
  static PublicKey publicKey(PublicKey key) {
    if (PROVIDER == null) {
      return null;
    }
    try {
      return KeyFactory.getInstance("EC", PROVIDER).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /** The private key inside the native provider, or null (then the JDK signs). */
  static PrivateKey privateKey(PrivateKey key) {
    if (PROVIDER == null || key.getEncoded() == null) {
      return null;
    }
    try {
      return KeyFactory.getInstance("EC", PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /** A fresh SHA256withECDSA signer of the native provider (Signature objects are not thread-safe). */
  static Signature signer() throws GeneralSecurityException {
    return Signature.getInstance("SHA256withECDSA", PROVIDER);
  }

  /** Verifies a signature whose encoding the caller has already checked (strict DER, low-S). */
  static boolean verify(PublicKey key, ByteBuffer message, byte[] signature) {
    Signature verifier = VERIFIER.get();
    try {
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
