package io.raftswarm.common.identity;

import com.google.protobuf.ByteString;
import io.raftswarm.common.crypto.EcKeys;
import io.raftswarm.common.crypto.EcdsaSigner;
import io.raftswarm.common.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A local MSP identity that signs: certificate + private key + MSP id, as a Fabric node or
 * client holds it. Signatures are SHA256withECDSA, DER, normalized to low-S (Fabric rejects
 * high-S). Immutable and thread-safe.
 */
public final class SigningIdentity {
  private final String mspId;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final ByteString serialized;
  private final EcdsaSigner signer;

  public SigningIdentity(String mspId, X509Certificate certificate, PrivateKey privateKey) {
    if (mspId == null || mspId.isBlank()) {
      throw new IllegalArgumentException("MSP id must not be blank");
    }
    this.mspId = mspId;
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    if (!(privateKey instanceof ECPrivateKey) || !(certificate.getPublicKey() instanceof ECPublicKey)) {
      throw new IllegalArgumentException("identity of " + mspId + " must use ECDSA keys");
    }
    this.serialized = SerializedIdentity.newBuilder()
        .setMspid(mspId)
        .setIdBytes(ByteString.copyFrom(Pem.encode(certificate), StandardCharsets.UTF_8))
        .build()
        .toByteString();
    this.signer = EcdsaSigner.of(privateKey);
  }

  /**
   * Loads a cryptogen-layout MSP directory: the certificate from {@code signcerts/*.pem} and the
   * key from {@code keystore/*_sk} (the one matching the certificate when there are several).
   */
  public static SigningIdentity load(Path mspDir, String mspId) {
    Path signcerts = mspDir.resolve("signcerts");
    Path keystore = mspDir.resolve("keystore");
    List<Path> certFiles = list(signcerts, ".pem");
    if (certFiles.isEmpty()) {
      throw new IdentityException("no certificate (*.pem) in " + signcerts + "; is " + mspDir + " an MSP directory?");
    }
    X509Certificate certificate = Pem.readCertificate(certFiles.get(0));
    List<Path> keyFiles = list(keystore, "_sk");
    if (keyFiles.isEmpty()) {
      throw new IdentityException("no private key (*_sk) in " + keystore);
    }
    for (Path keyFile : keyFiles) {
      PrivateKey key = Pem.readPrivateKey(keyFile);
      if (EcKeys.matches(key, certificate.getPublicKey())) {
        return new SigningIdentity(mspId, certificate, key);
      }
    }
    throw new IdentityException("none of the keys " + keyFiles + " matches the certificate " + certFiles.get(0));
  }

  public byte[] sign(byte[] message) {
    try {
      return Signatures.toLowS(signer.sign(message), (ECPrivateKey) privateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the key of " + mspId + " " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** The {@code msp.SerializedIdentity} bytes (id_bytes = PEM certificate), as used for creators and signers. */
  public ByteString serialize() {
    return serialized;
  }

  public String mspId() {
    return mspId;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return mspId + ":" + certificate.getSubjectX500Principal().getName();
  }

  private static List<Path> list(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
