package io.raftswarm.peer;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS client roots the peer accepts: its own org's TLS CA plus the TLS CAs of every org of
 * every joined channel (as Fabric peers update their client roots from channel configs).
 * Verification itself is the JDK's PKIX trust manager, rebuilt whenever the root set changes.
 */
final class ChannelTrust extends X509ExtendedTrustManager {
  private volatile X509ExtendedTrustManager delegate;
  private volatile List<X509Certificate> roots = List.of();

  ChannelTrust(List<X509Certificate> initialRoots) {
    update(initialRoots);
  }

  synchronized void update(List<X509Certificate> newRoots) {
    List<X509Certificate> unique = List.copyOf(new LinkedHashSet<>(newRoots));
    if (unique.equals(roots)) {
      return;
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < unique.size(); i++) {
        store.setCertificateEntry("root-" + i, unique.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          delegate = x;
          roots = unique;
          return;
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager for PKIX");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the TLS trust manager from " + unique.size() + " root(s)", e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
