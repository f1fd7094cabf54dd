package io.raftswarm.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mutual TLS over loopback with a one-method echo service (no generated stubs needed). */
@Timeout(60)
class MutualTlsTest {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("raftswarm.test.Echo/Echo")
      .setRequestMarshaller(BYTES)
      .setResponseMarshaller(BYTES)
      .build();

  private final CertificateAuthority ordererTlsCa = CertificateAuthority.create("tlsca.example.com", "example.com", "US", null);
  private final CertificateAuthority org1TlsCa = CertificateAuthority.create("tlsca.org1.example.com", "org1.example.com", "US", null);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void startServer() throws IOException {
    TlsMaterial serverTls = material(ordererTlsCa, "orderer.example.com",
        List.of("orderer.example.com", "orderer", "127.0.0.1", "localhost"), List.of(ordererTlsCa.certificate()));
    ServerServiceDefinition echo = ServerServiceDefinition.builder("raftswarm.test.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(request);
          response.onCompleted();
        }))
        .build();
    // the orderer trusts the TLS CAs of every org in its channels, not only its own
    server = GrpcServers.builder(new InetSocketAddress("127.0.0.1", 0),
            TlsContexts.serverRequiringClientAuth(serverTls, List.of(ordererTlsCa.certificate(), org1TlsCa.certificate())))
        .addService(echo)
        .build()
        .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private String target() {
    return "127.0.0.1:" + server.getPort();
  }

  private static TlsMaterial material(CertificateAuthority ca, String cn, List<String> sans, List<X509Certificate> roots) {
    IssuedCertificate issued = ca.issue(CertificateRequest.tls(cn, sans));
    return new TlsMaterial(issued.certificate(), issued.keyPair().getPrivate(), roots);
  }

  private static byte[] call(ManagedChannel channel, String text) {
    return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
        text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void grpc_tls_runs_on_boringssl_unless_the_jdk_provider_is_asked_for() {
    boolean jdkAskedFor = "jdk".equalsIgnoreCase(System.getenv().getOrDefault("RAFTSWARM_TLS_PROVIDER", ""))
        || "jdk".equalsIgnoreCase(System.getProperty("raftswarm.tls.provider", ""));
    assertThat(TlsContexts.grpcProvider()).isEqualTo(jdkAskedFor ? SslProvider.JDK : SslProvider.OPENSSL);
  }

  @Test
  void client_with_a_certificate_from_a_trusted_org_completes_a_call() {
    TlsMaterial client = material(org1TlsCa, "User1@org1.example.com", List.of(), List.of(ordererTlsCa.certificate()));
    channel = GrpcChannels.open(target(), client);
    assertThat(new String(call(channel, "hello"), StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void override_authority_checks_the_certificate_against_the_given_name() {
    TlsMaterial client = material(org1TlsCa, "User1@org1.example.com", List.of(), List.of(ordererTlsCa.certificate()));
    channel = GrpcChannels.open(target(), client, "orderer.example.com");
    assertThat(call(channel, "x")).isEqualTo("x".getBytes(StandardCharsets.UTF_8));

    ManagedChannel wrongName = GrpcChannels.open(target(), client, "orderer2.example.com");
    try {
      assertThatThrownBy(() -> call(wrongName, "x")).isInstanceOf(StatusRuntimeException.class)
          .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      wrongName.shutdownNow();
    }
  }

  @Test
  void client_without_a_certificate_is_refused() throws Exception {
    var noClientCert = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .trustManager(ordererTlsCa.certificate())
        .build();
    channel = NettyChannelBuilder.forTarget(target()).sslContext(noClientCert).build();
    assertThatThrownBy(() -> call(channel, "hello")).isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void client_certificate_from_an_untrusted_ca_is_refused() {
    CertificateAuthority stranger = CertificateAuthority.create("tlsca.org9.example.com", "org9.example.com", "US", null);
    TlsMaterial client = material(stranger, "User1@org9.example.com", List.of(), List.of(ordererTlsCa.certificate()));
    channel = GrpcChannels.open(target(), client);
    assertThatThrownBy(() -> call(channel, "hello")).isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void jdk_context_does_a_mutual_handshake() throws Exception {
    TlsMaterial serverTls = material(ordererTlsCa, "orderer.example.com", List.of("127.0.0.1"), List.of(org1TlsCa.certificate()));
    TlsMaterial clientTls = material(org1TlsCa, "peer0.org1.example.com", List.of("127.0.0.1"), List.of(ordererTlsCa.certificate()));
    try (SSLServerSocket listener = (SSLServerSocket) TlsContexts.jdkContext(serverTls).getServerSocketFactory()
        .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<String> peerSeenByServer = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) listener.accept()) {
          accepted.startHandshake();
          return ((X509Certificate) accepted.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      try (SSLSocket socket = (SSLSocket) TlsContexts.jdkContext(clientTls).getSocketFactory()
          .createSocket(java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      }
      assertThat(peerSeenByServer.get(30, TimeUnit.SECONDS)).contains("CN=peer0.org1.example.com");
    }
  }
}
