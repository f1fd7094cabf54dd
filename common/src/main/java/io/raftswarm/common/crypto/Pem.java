package io.raftswarm.common.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding and decoding of X.509 certificates and private keys, in the forms Fabric's
 * tools write and read: "CERTIFICATE" and PKCS#8 "PRIVATE KEY" (SEC1 "EC PRIVATE KEY" is also
 * read). Keys and certificates come back as JDK (SunEC) objects so that TLS and signing use
 * the JDK provider.
 */
public final class Pem {
  private Pem() {}

  public static String encode(X509Certificate certificate) {
    try {
      return write(new PemObject("CERTIFICATE", certificate.getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** PKCS#8 "PRIVATE KEY", which is what cryptogen writes to {@code priv_sk}. */
  public static String encode(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key format " + key.getFormat() + " is not PKCS#8");
    }
    return write(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  public static X509Certificate readCertificate(Path file) {
    return first(readCertificates(file), file.toString());
  }

  public static X509Certificate readCertificate(byte[] pem) {
    return first(readCertificates(pem), "PEM input");
  }

  public static List<X509Certificate> readCertificates(Path file) {
    try {
      return readCertificates(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read certificate file " + file, e);
    }
  }

  public static List<X509Certificate> readCertificates(byte[] pem) {
    return readCertificates(pem, "PEM input");
  }

  public static PrivateKey readPrivateKey(Path file) {
    try {
      return readPrivateKey(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read private key file " + file, e);
    }
  }

  public static PrivateKey readPrivateKey(byte[] pem) {
    return readPrivateKey(pem, "PEM input");
  }

  private static List<X509Certificate> readCertificates(byte[] pem, String source) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certificates = new ArrayList<>();
      for (var c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
        certificates.add((X509Certificate) c);
      }
      return List.copyOf(certificates);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("cannot parse PEM certificate(s) in " + source + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPrivateKey(byte[] pem, String source) {
    try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return toJdkKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return toJdkKey(pair.getPrivateKeyInfo());
        }
      }
      throw new IllegalArgumentException("no PRIVATE KEY or EC PRIVATE KEY block in " + source);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot parse PEM private key in " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The JDK key for a PKCS#8 structure, from the JDK's own KeyFactory of that algorithm.
   * Not BouncyCastle's JcaPEMKeyConverter: it asks the JCA for a KeyFactory named "ECDSA",
   * which no JDK provider has, so the JCA walks its whole provider list, instantiating every
   * provider it finds on the class path (AWS-LC's, BouncyCastle's twice) for each JDK provider
   * name the runtime lacks; that cost an orderer about a second of CPU at start (docs/LAB.md).
   */
  private static PrivateKey toJdkKey(PrivateKeyInfo info) throws IOException {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm;
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      algorithm = "EC";
    } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      algorithm = "RSA";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      algorithm = "Ed25519";
    } else {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException("not a valid " + algorithm + " private key: " + e.getMessage(), e);
    }
  }

  private static X509Certificate first(List<X509Certificate> certificates, String source) {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no CERTIFICATE block in " + source);
    }
    return certificates.get(0);
  }

  private static String write(PemObject object) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // StringWriter does not fail
    }
    return out.toString();
  }
}
