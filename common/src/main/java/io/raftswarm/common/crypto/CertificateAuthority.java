package io.raftswarm.common.crypto;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An ECDSA P-256 certificate authority shaped like the CAs Fabric's cryptogen creates: self-signed,
 * ten years, basicConstraints CA, keyCertSign|cRLSign|digitalSignature, subject key identifier =
 * SHA-256 of the public point. Leaf certificates copy C/ST/L from the CA subject, like cryptogen.
 * Immutable and thread-safe.
 */
public final class CertificateAuthority {
  static final Duration VALIDITY = Duration.ofDays(3650);
  // Backdated so that a certificate is usable at once on hosts whose clocks lag a little.
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  public static CertificateAuthority create(String commonName, String organization, String country, String locality) {
    return create(commonName, organization, country, null, locality);
  }

  /** Like {@link #create(String, String, String, String)} with a state/province (cryptogen: "California"). */
  public static CertificateAuthority create(
      String commonName, String organization, String country, String province, String locality) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    addIfPresent(name, BCStyle.C, country);
    addIfPresent(name, BCStyle.ST, province);
    addIfPresent(name, BCStyle.L, locality);
    addIfPresent(name, BCStyle.O, organization);
    name.addRDN(BCStyle.CN, requireText(commonName, "CA common name"));
    X500Name subject = name.build();

    KeyPair keys = EcKeys.generate();
    Instant notBefore = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(BACKDATE);
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          subject, serial(), Date.from(notBefore), Date.from(notBefore.plus(VALIDITY)), subject, keys.getPublic());
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(EcKeys.skiBytes(keys.getPublic())));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot build CA certificate for " + commonName, e);
    }
  }

  /** Wraps an existing CA (e.g. read back from {@code ca/ca.<domain>-cert.pem} and its key). */
  public static CertificateAuthority load(X509Certificate certificate, PrivateKey privateKey) {
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(
          "certificate " + certificate.getSubjectX500Principal() + " is not a CA (basicConstraints CA:false)");
    }
    return new CertificateAuthority(certificate, privateKey);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Issues a leaf certificate for a new P-256 key pair. */
  public IssuedCertificate issue(CertificateRequest request) {
    KeyPair keys = EcKeys.generate();
    return new IssuedCertificate(issue(request, keys.getPublic()), keys);
  }

  /** Issues a leaf certificate for an existing public key (used when a key is reused). */
  public X509Certificate issue(CertificateRequest request, PublicKey publicKey) {
    return issue(request, publicKey, VALIDITY);
  }

  /**
   * Like {@link #issue(CertificateRequest, PublicKey)}, valid for {@code validity} from its
   * (backdated) notBefore and never past the CA's own expiry: a renewal with a chosen lifetime.
   */
  public X509Certificate issue(CertificateRequest request, PublicKey publicKey, Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, was " + validity);
    }
    X500Name caSubject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    copy(caSubject, name, BCStyle.C);
    copy(caSubject, name, BCStyle.ST);
    copy(caSubject, name, BCStyle.L);
    addIfPresent(name, BCStyle.OU, request.organizationalUnit());
    name.addRDN(BCStyle.CN, request.commonName());

    Instant notBefore = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(BACKDATE);
    Instant notAfter = notBefore.plus(validity);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant(); // never outlive the CA
    }
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          caSubject, serial(), Date.from(notBefore), Date.from(notAfter), name.build(), publicKey);
      int usage = KeyUsage.digitalSignature;
      if (request.tlsServer() || request.tlsClient()) {
        usage |= KeyUsage.keyEncipherment;
      }
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (request.tlsServer()) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (request.tlsClient()) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      if (!purposes.isEmpty()) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      }
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(EcKeys.skiBytes(publicKey)));
      builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier());
      List<GeneralName> sans = new ArrayList<>();
      request.dnsNames().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
      request.ipAddresses().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!sans.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      return sign(builder, privateKey);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot build certificate for " + request.commonName(), e);
    }
  }

  private AuthorityKeyIdentifier authorityKeyIdentifier() {
    try {
      var ski = new JcaX509CertificateHolder(certificate).getExtension(Extension.subjectKeyIdentifier);
      byte[] id = ski != null
          ? SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier()
          : EcKeys.skiBytes(certificate.getPublicKey());
      return new AuthorityKeyIdentifier(id);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot read CA certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      var signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign certificate with " + SIGNATURE_ALGORITHM, e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE); // positive, like cryptogen's 128-bit serials
  }

  private static void copy(X500Name from, X500NameBuilder to, ASN1ObjectIdentifier type) {
    for (RDN rdn : from.getRDNs(type)) {
      to.addRDN(type, rdn.getFirst().getValue());
    }
  }

  private static void addIfPresent(X500NameBuilder name, ASN1ObjectIdentifier type, String value) {
    if (value != null && !value.isBlank()) {
      name.addRDN(type, value);
    }
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
