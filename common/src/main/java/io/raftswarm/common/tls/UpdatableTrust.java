package io.raftswarm.common.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager whose roots change while the server using it runs, as Fabric's orderer updates
 * its servers' client CAs when it joins a channel or a config block changes the channel's orgs.
 * Every check is the JDK's PKIX trust manager built for the roots current at that moment.
 *
 * <p>It names no accepted issuers: BoringSSL (Netty's OpenSSL context) sends a server's CA list
 * once, fixed when the context is built, and clients (Go's crypto/tls, the JDK's key managers)
 * send no certificate when theirs is not from a listed CA. With no list they send theirs, and it
 * is checked here against the current roots.
 */
public final class UpdatableTrust extends X509ExtendedTrustManager {
  private record Current(Set<X509Certificate> roots, X509ExtendedTrustManager checker) {}

  private volatile Current current;

  public UpdatableTrust(Collection<X509Certificate> roots) {
    current = build(roots);
  }

  /** Trusts exactly {@code roots} from now on; returns whether that changed anything. */
  public synchronized boolean trustOnly(Collection<X509Certificate> roots) {
    if (current.roots().equals(new LinkedHashSet<>(roots))) {
      return false;
    }
    current = build(roots);
    return true;
  }

  /** The roots trusted now. */
  public List<X509Certificate> roots() {
    return List.copyOf(current.roots());
  }

  private static Current build(Collection<X509Certificate> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("a TLS server checking client certificates needs at least one trusted root");
    }
    Set<X509Certificate> set = new LinkedHashSet<>(roots);
    var managers = TlsContexts.trustManagerFactory(List.copyOf(set)).getTrustManagers();
    return new Current(Set.copyOf(set), (X509ExtendedTrustManager) managers[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    current.checker().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    current.checker().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    current.checker().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    current.checker().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    current.checker().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    current.checker().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
