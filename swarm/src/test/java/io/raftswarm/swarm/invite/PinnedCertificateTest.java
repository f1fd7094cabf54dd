package io.raftswarm.swarm.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The invite server and the pinned client against each other over real TLS on loopback. */
@Timeout(60)
class PinnedCertificateTest {
  @TempDir Path dir;

  static HttpClient client(String pin) {
    return HttpClient.newBuilder().sslContext(new PinnedCertificate(pin).sslContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void the_pinned_certificate_is_trusted_any_other_is_not() throws Exception {
    Path file = Files.write(dir.resolve("host2.tar"), "bundle bytes".getBytes());
    CopyOnWriteArrayList<String> log = new CopyOnWriteArrayList<>();
    try (InviteServer server = InviteServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        "10.9.9.9", file, "host2.tar", log::add)) {
      URI url = URI.create("https://127.0.0.1:" + server.port() + server.path());
      assertThat(server.fingerprint()).matches("[0-9a-f]{64}");

      // Another pin: the handshake fails, nothing is served.
      String other = server.fingerprint().replace(server.fingerprint().charAt(0), server.fingerprint().charAt(0) == 'a' ? 'b' : 'a');
      assertThatThrownBy(() -> client(other).send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(server.awaitFetched(0, TimeUnit.MILLISECONDS)).isFalse();

      // The right pin but a guessed path: 404, still not fetched.
      HttpResponse<String> wrong = client(server.fingerprint()).send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + server.port() + "/guess/host2.tar")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(404);
      assertThat(server.awaitFetched(0, TimeUnit.MILLISECONDS)).isFalse();

      // The right pin, dialled at an address the certificate does not name (its SAN is 10.9.9.9):
      // the pin alone decides.
      HttpResponse<String> ok = client(server.fingerprint().toUpperCase()).send(HttpRequest.newBuilder(url).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("bundle bytes");
      assertThat(server.awaitFetched(5, TimeUnit.SECONDS)).isTrue();
      assertThat(log).anyMatch(l -> l.contains("refused GET /guess/host2.tar")).anyMatch(l -> l.contains("fetched the whole bundle"));
    }
  }

  @Test
  void a_pinned_client_trusts_no_client_certificates() {
    assertThatThrownBy(() -> new PinnedCertificate("00".repeat(32)).checkClientTrusted(
        new java.security.cert.X509Certificate[0], "EC")).isInstanceOf(java.security.cert.CertificateException.class);
  }
}
