package io.raftswarm.swarm.invite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.IssuedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves one file over HTTPS under a random path, on a certificate made for this run (a
 * throw-away P-256 CA from common's {@link CertificateAuthority} issues it; the CA key is then
 * forgotten). The client pins the certificate's SHA-256 ({@link PinnedCertificate}); other paths
 * get 404. {@link #awaitFetched} returns once one client read the whole file. The JDK's
 * {@code HttpsServer} does the TLS.
 */
public final class InviteServer implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor;
  private final String fingerprint;
  private final String path;
  private final CountDownLatch fetched = new CountDownLatch(1);

  private InviteServer(HttpsServer server, ExecutorService executor, String fingerprint, String path) {
    this.server = server;
    this.executor = executor;
    this.fingerprint = fingerprint;
    this.path = path;
  }

  /** A random URL path segment: 128 bits, URL-safe base64. */
  static String randomToken() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Starts serving {@code file} as {@code /TOKEN/name}.
   *
   * @param bind the local address to listen on (port 0: any free port)
   * @param advertised the address the client dials (in the certificate's SAN)
   * @param log one line per request and transfer
   */
  public static InviteServer start(InetSocketAddress bind, String advertised, Path file, String name,
      Consumer<String> log) throws IOException {
    IssuedCertificate cert = CertificateAuthority.create("raftswarm invite CA", "raftswarm", null, null)
        .issue(CertificateRequest.tls("raftswarm-invite", List.of(advertised)));
    SSLContext ssl;
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = new char[0];
      ks.setKeyEntry("invite", cert.keyPair().getPrivate(), pw, new Certificate[] {cert.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the invite server", e);
    }
    HttpsServer server = HttpsServer.create(bind, 8);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "invite-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    String path = "/" + randomToken() + "/" + name;
    InviteServer invite = new InviteServer(server, executor, PinnedCertificate.fingerprint(cert.certificate()), path);
    server.createContext("/", exchange -> invite.handle(exchange, file, log));
    server.start();
    return invite;
  }

  private void handle(HttpExchange exchange, Path file, Consumer<String> log) throws IOException {
    String from = exchange.getRemoteAddress().getAddress().getHostAddress();
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) || !path.equals(exchange.getRequestURI().getPath())) {
        log.accept("refused " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " from " + from);
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      log.accept(from + " is fetching the bundle (" + size / (1 << 20) + " MiB)");
      exchange.getResponseHeaders().set("Content-Type", "application/x-tar");
      exchange.sendResponseHeaders(200, size);
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(file, out);
      }
      log.accept(from + " fetched the whole bundle");
      fetched.countDown();
    } catch (IOException e) {
      log.accept("transfer to " + from + " broke off (" + e.getMessage() + "); still serving");
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The path the file is served under, {@code /TOKEN/name}. */
  public String path() {
    return path;
  }

  /** SHA-256 of the serving certificate's DER, 64 hex digits. */
  public String fingerprint() {
    return fingerprint;
  }

  /** True once a client read the whole file; false after the timeout. */
  public boolean awaitFetched(long timeout, TimeUnit unit) throws InterruptedException {
    return fetched.await(timeout, unit);
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
