package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * The TLS certificate a node presents on its published port, read in a TLS handshake with a
 * client certificate (the nodes require one) and the node's TLS CA as the only trusted root: the
 * proof that a restarted node runs with its new files, and how a re-run tells that a node was
 * already restarted.
 */
final class ServedCertificate {
  private ServedCertificate() {}

  /** The leaf certificate served at {@code endpoint} (host:port), empty when no handshake succeeds. */
  static Optional<X509Certificate> of(String endpoint, TlsMaterial client, Duration timeout) {
    int colon = endpoint.lastIndexOf(':');
    InetSocketAddress address = new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    try (SSLSocket socket = (SSLSocket) TlsContexts.jdkContext(client).getSocketFactory().createSocket()) {
      socket.connect(address, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      var parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"}); // gRPC servers expect HTTP/2's ALPN
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // down, restarting, or not trusted: not the certificate we look for
    }
  }
}
