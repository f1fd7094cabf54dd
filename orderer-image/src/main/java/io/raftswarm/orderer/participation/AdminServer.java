package io.raftswarm.orderer.participation;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.config.AdminEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The orderer's admin endpoint (Fabric's {@code Admin.ListenAddress}): HTTPS that demands a client
 * certificate issued by one of {@code Admin.TLS.ClientRootCAs}, serving the channel participation
 * API. The JDK's HTTPS server and TLS stack; nothing here is security logic of our own.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor;

  public AdminServer(AdminEndpoint endpoint, ChannelRegistrar registrar) throws IOException {
    List<X509Certificate> clientRoots = endpoint.clientRootCas().stream()
        .flatMap(p -> Pem.readCertificates(p).stream()).toList();
    TlsMaterial tls = new TlsMaterial(Pem.readCertificate(endpoint.tlsCertificate()),
        Pem.readPrivateKey(endpoint.tlsPrivateKey()), clientRoots);
    SSLContext context = TlsContexts.jdkContext(tls);
    try {
      server = HttpsServer.create(new InetSocketAddress(endpoint.listenAddress(), endpoint.port()), 16);
    } catch (IOException e) {
      throw new IOException("cannot listen on " + endpoint.listenAddress() + ":" + endpoint.port()
          + " (ORDERER_ADMIN_LISTENADDRESS): " + e.getMessage(), e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = context.getDefaultSSLParameters();
        ssl.setNeedClientAuth(true);
        ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        params.setSSLParameters(ssl);
      }
    });
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "admin-" + endpoint.port());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/participation/", new ParticipationHandler(registrar, endpoint.participationEnabled(),
        endpoint.maxRequestBodyBytes()));
    server.start();
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
