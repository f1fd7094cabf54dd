package io.raftswarm.common.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts for gRPC (grpc-netty-shaded) and plain JDK sockets. TLS 1.2 and 1.3, mutual TLS
 * like Fabric's cluster and client connections.
 *
 * <p>gRPC connections use BoringSSL (netty-tcnative, bundled inside grpc-netty-shaded) when its
 * native library loads: every transaction crosses TLS several times on its way through the
 * cluster, and the JDK's SSLEngine measured several times the CPU per byte. Set
 * {@code RAFTSWARM_TLS_PROVIDER=jdk} (or {@code -Draftswarm.tls.provider=jdk}) to force the JDK
 * provider; when BoringSSL cannot load (no glibc, no writable temp dir) the JDK is used anyway.
 */
public final class TlsContexts {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final char[] NO_PASSWORD = new char[0];

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

  /** A server context where a client certificate is optional (Fabric peers' default). */
  public static SslContext serverOptionalClientAuth(TlsMaterial tls, List<X509Certificate> trustedRoots) {
    return server(tls, trustedRoots, ClientAuth.OPTIONAL);
  }

  /** A client context presenting {@code tls.certificate()} and trusting servers issued by {@code tls.trustedRoots()}. */
  public static SslContext client(TlsMaterial tls) {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forClient(), grpcProvider())
          .keyManager(tls.privateKey(), tls.certificate())
          .trustManager(tls.trustedRoots().toArray(X509Certificate[]::new))
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build TLS client context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }

  /** A JDK context with the same key pair and roots (for HTTPS or raw sockets). */
  public static SSLContext jdkContext(TlsMaterial tls) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("key", tls.privateKey(), NO_PASSWORD, new Certificate[] {tls.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);

      KeyStore roots = KeyStore.getInstance("PKCS12");
      roots.load(null, null);
      for (int i = 0; i < tls.trustedRoots().size(); i++) {
        roots.setCertificateEntry("root-" + i, tls.trustedRoots().get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(roots);

      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build JDK TLS context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }

  private static SslContext server(TlsMaterial tls, List<X509Certificate> trustedRoots, ClientAuth clientAuth) {
    if (trustedRoots.isEmpty()) {
      throw new IllegalArgumentException("a TLS server checking client certificates needs at least one trusted root");
    }
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(tls.privateKey(), tls.certificate()), grpcProvider())
          .trustManager(trustedRoots.toArray(X509Certificate[]::new))
          .clientAuth(clientAuth)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build TLS server context for " + tls.certificate().getSubjectX500Principal(), e);
    }
  }
}
