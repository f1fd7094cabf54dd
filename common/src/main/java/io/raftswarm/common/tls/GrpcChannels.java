package io.raftswarm.common.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Mutual-TLS gRPC client channels with Fabric's client defaults (keepalive 60 s / timeout 20 s,
 * 100 MiB messages). The caller owns the channel and must shut it down.
 */
public final class GrpcChannels {
  /** Fabric's default MaxRecvMsgSize / MaxSendMsgSize. */
  public static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
  static final long KEEPALIVE_SECONDS = 60;
  static final long KEEPALIVE_TIMEOUT_SECONDS = 20;

  private GrpcChannels() {}

  /** Opens a channel to {@code host:port}; the server certificate must name {@code host}. */
  public static ManagedChannel open(String hostPort, TlsMaterial tls) {
    return builder(hostPort, tls).build();
  }

  /**
   * Opens a channel to {@code hostPort} but checks the server certificate against
   * {@code overrideAuthority} (like Fabric's {@code --ordererTLSHostnameOverride}).
   */
  public static ManagedChannel open(String hostPort, TlsMaterial tls, String overrideAuthority) {
    NettyChannelBuilder builder = builder(hostPort, tls);
    if (overrideAuthority != null && !overrideAuthority.isBlank()) {
      builder.overrideAuthority(overrideAuthority);
    }
    return builder.build();
  }

  /** The configured builder, for callers that need to add interceptors or executors. */
  public static NettyChannelBuilder builder(String hostPort, TlsMaterial tls) {
    if (hostPort == null || !hostPort.contains(":")) {
      throw new IllegalArgumentException("gRPC endpoint '" + hostPort + "' must be host:port");
    }
    return NettyChannelBuilder.forTarget(hostPort)
        .negotiationType(NegotiationType.TLS)
        .sslContext(TlsContexts.client(tls))
        .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES);
  }
}
