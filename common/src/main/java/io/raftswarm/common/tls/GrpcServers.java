package io.raftswarm.common.tls;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * gRPC server builders with Fabric's server defaults: TLS, 100 MiB messages, and a keepalive
 * policy that tolerates the {@link GrpcChannels} client pings (otherwise the server would
 * answer them with GOAWAY "too_many_pings").
 */
public final class GrpcServers {
  private GrpcServers() {}

  /**
   * A builder listening on {@code address} with the given server context, e.g.
   * {@code GrpcServers.builder(new InetSocketAddress("0.0.0.0", 7050), TlsContexts.serverRequiringClientAuth(tls, roots))}.
   */
  public static NettyServerBuilder builder(InetSocketAddress address, SslContext sslContext) {
    return NettyServerBuilder.forAddress(address)
        .sslContext(sslContext)
        .maxInboundMessageSize(GrpcChannels.MAX_MESSAGE_BYTES)
        .permitKeepAliveTime(GrpcChannels.KEEPALIVE_SECONDS / 2, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
  }
}
