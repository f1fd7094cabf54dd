package io.raftswarm.common.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * TLS contexts for gRPC (grpc-netty-shaded) and plain JDK sockets. TLS 1.2 and 1.3, mutual TLS
 * like Fabric's cluster and client connections.
 *
 * <p>gRPC connections use BoringSSL (netty-tcnative, bundled inside grpc-netty-shaded) when its
 * native library loads: every transaction crosses TLS several times on its way through the
 * cluster, and the JDK's SSLEngine measured several times the CPU per byte. Set
 * {@code RAFTSWARM_TLS_PROVIDER=jdk} (or {@code -Draftswarm.tls.provider=jdk}) to force the JDK
 * provider; when BoringSSL cannot load (no glibc, no writable temp dir) the JDK is used anyway.
 *
 * <p>Key managers come from {@link #keyManagerFactory}: Netty's {@code keyManager(PrivateKey, ...)}
 * puts the key into a PKCS#12 key store, which encrypts it with 10,000 PBKDF2 iterations and
 * decrypts it again, for every context built (an orderer built about 15 at start, one per
 * connection: about 0.5 s of CPU and much of the JIT's early work). Client contexts are shared
 * per {@link TlsMaterial}.
 */
public final class TlsContexts {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /** Protects the key only inside this process's in-memory key store. */
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();
  private static final int CLIENT_CONTEXT_CACHE = 64;
  private static final Map<TlsMaterial, SslContext> CLIENT_CONTEXTS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<TlsMaterial, SslContext> eldest) {
      return size() > CLIENT_CONTEXT_CACHE;
    }
  };

  private TlsContexts() {}

  /** The provider gRPC contexts use: BoringSSL unless it cannot load or the JDK is asked for. */
  public static SslProvider grpcProvider() {
    return ProviderChoice.PROVIDER;
  }

  /** Decided once: loading the native library is costly and its availability does not change. */
  private static final class ProviderChoice {
    static final SslProvider PROVIDER = choose();

    private static SslProvider choose() {
      String wanted = System.getProperty("raftswarm.tls.provider", System.getenv().getOrDefault("RAFTSWARM_TLS_PROVIDER", ""));
      if ("jdk".equalsIgnoreCase(wanted.trim())) {
        return SslProvider.JDK;
      }
      return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
  }

  /** A server context that demands a client certificate issued by one of {@code tls.trustedRoots()}. */
  public static SslContext serverRequiringClientAuth(TlsMaterial tls) {
    return server(tls, tls.trustedRoots(), ClientAuth.REQUIRE);
  }

  /**
   * A server context that demands a client certificate issued by one of {@code trustedRoots}
   * (for an orderer: the TLS CAs of all orgs of its channels).
   */
  public static SslContext serverRequiringClientAuth(TlsMaterial tls, List<X509Certificate> trustedRoots) {
    return server(tls, trustedRoots, ClientAuth.REQUIRE);
  }

  /**
   * An HTTPS (HTTP/1.1, no ALPN) server context on the same Netty that demands a client
   * certificate issued by one of {@code tls.trustedRoots()}: the orderer's admin endpoint.
   */
  public static SslContext httpsServerRequiringClientAuth(TlsMaterial tls) {
    if (tls.trustedRoots().isEmpty()) {
      throw new IllegalArgumentException("a TLS server checking client certificates needs at least one trusted root");
    }
    try {
      return SslContextBuilder.forServer(nettyKeyManagerFactory(tls))
          .sslProvider(grpcProvider())
          .trustManager(tls.trustedRoots().toArray(X509Certificate[]::new))
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build HTTPS server context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }

  /** A server context that demands a client certificate {@code trust} accepts (its roots may change later). */
  public static SslContext serverRequiringClientAuth(TlsMaterial tls, UpdatableTrust trust) {
    return server(tls, trust, ClientAuth.REQUIRE);
  }

  /** A server context that checks a client certificate, if one is presented, with {@code trust}. */
  public static SslContext serverOptionalClientAuth(TlsMaterial tls, UpdatableTrust trust) {
    return server(tls, trust, ClientAuth.OPTIONAL);
  }

  /** A server context where a client certificate is optional (Fabric peers' default). */
  public static SslContext serverOptionalClientAuth(TlsMaterial tls, List<X509Certificate> trustedRoots) {
    return server(tls, trustedRoots, ClientAuth.OPTIONAL);
  }

  /**
   * A client context presenting {@code tls.certificate()} and trusting servers issued by
   * {@code tls.trustedRoots()}; one per material, shared by every channel that uses it.
   */
  public static SslContext client(TlsMaterial tls) {
    synchronized (CLIENT_CONTEXTS) {
      SslContext cached = CLIENT_CONTEXTS.get(tls);
      if (cached != null) {
        return cached;
      }
    }
    SslContext context;
    try {
      context = GrpcSslContexts.configure(SslContextBuilder.forClient(), grpcProvider())
          .keyManager(nettyKeyManagerFactory(tls))
          .trustManager(tls.trustedRoots().toArray(X509Certificate[]::new))
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build TLS client context for " + tls.certificate().getSubjectX500Principal(), e);
    }
    synchronized (CLIENT_CONTEXTS) {
      return CLIENT_CONTEXTS.computeIfAbsent(tls, k -> context);
    }
  }

  /**
   * A key manager factory holding {@code tls}'s key pair, for Netty's and Ratis' builders and
   * the JDK's SSLContext. The key sits in an in-memory JKS store, whose key protection is one
   * digest (PKCS#12's default is 10,000 PBKDF2 iterations each way, for a store that is never
   * written anywhere).
   */
  public static KeyManagerFactory keyManagerFactory(TlsMaterial tls) {
    try {
      KeyStore keys = KeyStore.getInstance("JKS");
      keys.load(null, null);
      keys.setKeyEntry("key", tls.privateKey(), IN_MEMORY_PASSWORD, new Certificate[] {tls.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, IN_MEMORY_PASSWORD);
      return kmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot hold the TLS key of " + tls.certificate().getSubjectX500Principal(), e);
    }
  }

  /** The single X.509 key manager of {@link #keyManagerFactory} (Ratis takes a key manager). */
  public static X509KeyManager keyManager(TlsMaterial tls) {
    return (X509KeyManager) keyManagerFactory(tls).getKeyManagers()[0];
  }

  /** A trust manager accepting certificates issued by {@code roots} (PKIX). */
  public static TrustManagerFactory trustManagerFactory(List<X509Certificate> roots) {
    try {
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        store.setCertificateEntry("root-" + i, roots.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager for " + roots.size() + " root(s)", e);
    }
  }

  /**
   * For Netty: with BoringSSL the key material is converted to native form once (Netty's caching
   * wrapper), not at every handshake.
   */
  private static KeyManagerFactory nettyKeyManagerFactory(TlsMaterial tls) {
    KeyManagerFactory kmf = keyManagerFactory(tls);
    return grpcProvider() == SslProvider.OPENSSL ? new OpenSslCachingX509KeyManagerFactory(kmf) : kmf;
  }

  /** A JDK context with the same key pair and roots (for HTTPS or raw sockets). */
  public static SSLContext jdkContext(TlsMaterial tls) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagerFactory(tls).getKeyManagers(), trustManagerFactory(tls.trustedRoots()).getTrustManagers(),
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build JDK TLS context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }

  private static SslContext server(TlsMaterial tls, UpdatableTrust trust, ClientAuth clientAuth) {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(nettyKeyManagerFactory(tls)), grpcProvider())
          .trustManager(trust)
          .clientAuth(clientAuth)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build TLS server context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }

  private static SslContext server(TlsMaterial tls, List<X509Certificate> trustedRoots, ClientAuth clientAuth) {
    if (trustedRoots.isEmpty()) {
      throw new IllegalArgumentException("a TLS server checking client certificates needs at least one trusted root");
    }
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(nettyKeyManagerFactory(tls)), grpcProvider())
          .trustManager(trustedRoots.toArray(X509Certificate[]::new))
          .clientAuth(clientAuth)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build TLS server context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }
}
