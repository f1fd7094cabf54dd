package io.raftswarm.swarm.invite;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust in exactly one server certificate, named by the SHA-256 of its DER encoding (what
 * {@code raftswarm invite} prints as {@code --tls-sha256}). No CA, no host name: the pin is the
 * whole identity, so the joining host can reach the inviting machine under any address (a NAT, a
 * second interface) and still talks to nobody else. Client certificates are never trusted.
 */
public final class PinnedCertificate extends X509ExtendedTrustManager {
  private final String sha256;

  public PinnedCertificate(String sha256Hex) {
    this.sha256 = InviteLine.normalize(sha256Hex);
  }

  /** SHA-256 of the certificate's DER encoding, 64 lower-case hex digits. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** A TLS client context that trusts only the pinned certificate. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {this}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    String got = fingerprint(chain[0]);
    if (!got.equals(sha256)) {
      throw new CertificateException("the server's certificate has SHA-256 " + got + ", not the pinned "
          + sha256 + " from the invite line: this is not the machine that ran raftswarm invite"
          + " (or it was restarted and printed a new line)");
    }
    chain[0].checkValidity();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a pinned client trusts no client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
