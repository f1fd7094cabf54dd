package io.raftswarm.orderer.participation;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.config.AdminEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The orderer's admin endpoint (Fabric's {@code Admin.ListenAddress}): HTTPS that demands a client
 * certificate issued by one of {@code Admin.TLS.ClientRootCAs}, serving the channel participation
 * API. Runs on the Netty (and TLS provider) that grpc-netty-shaded bundles. Not the JDK's HTTPS
 * server: it resolves every client's address to a host name before the TLS handshake, which took
 * 10 s per request in containers whose DNS has no answer for the client's address.
 */
public final class AdminServer implements AutoCloseable {
  private final EventLoopGroup loop;
  private final ExecutorService work;
  private final Channel channel;

  public AdminServer(AdminEndpoint endpoint, ChannelRegistrar registrar) throws IOException {
    List<X509Certificate> clientRoots = endpoint.clientRootCas().stream()
        .flatMap(p -> Pem.readCertificates(p).stream()).toList();
    SslContext ssl = TlsContexts.httpsServerRequiringClientAuth(new TlsMaterial(Pem.readCertificate(endpoint.tlsCertificate()),
        Pem.readPrivateKey(endpoint.tlsPrivateKey()), clientRoots));
    ParticipationHandler handler = new ParticipationHandler(registrar, endpoint.participationEnabled(),
        endpoint.maxRequestBodyBytes());
    AtomicInteger threads = new AtomicInteger();
    loop = new NioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> daemon(r, "admin-io-" + endpoint.port()));
    // A join creates a Raft group and may take a while: never on the I/O thread.
    work = Executors.newFixedThreadPool(2, r -> daemon(r, "admin-" + threads.incrementAndGet()));
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loop)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(),
                // Twice the limit, so a body just over it gets Fabric's 400 from the handler, not a bare 413.
                new HttpObjectAggregator((int) Math.min(Integer.MAX_VALUE, 2 * handler.maxRequestBodyBytes())),
                new Dispatcher(handler, work));
          }
        });
    try {
      channel = bootstrap.bind(endpoint.listenAddress(), endpoint.port()).sync().channel();
    } catch (Exception e) {
      close();
      throw new IOException("cannot listen on " + endpoint.listenAddress() + ":" + endpoint.port()
          + " (ORDERER_ADMIN_LISTENADDRESS): " + e.getMessage(), e);
    }
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    work.shutdownNow();
  }

  /** One request in, one response out; the participation logic runs on the worker pool. */
  private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ParticipationHandler handler;
    private final ExecutorService work;

    Dispatcher(ParticipationHandler handler, ExecutorService work) {
      this.handler = handler;
      this.work = work;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!request.decoderResult().isSuccess()) {
        respond(ctx, new AdminResponse(400, java.util.Map.of(), "{\"error\":\"malformed HTTP request\"}"), false);
        return;
      }
      AdminRequest adminRequest = new AdminRequest(request.method().name(), new QueryStringDecoder(request.uri()).path(),
          header(request, HttpHeaderNames.ACCEPT), header(request, HttpHeaderNames.CONTENT_TYPE),
          ByteBufUtil.getBytes(request.content()));
      work.execute(() -> respond(ctx, handler.handle(adminRequest), keepAlive));
    }

    private static String header(FullHttpRequest request, CharSequence name) {
      String value = request.headers().get(name);
      return value == null ? "" : value;
    }

    private static void respond(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
      // Go's json.Encoder ends every document with a newline; osnadmin prints the body as is.
      byte[] body = response.json() == null ? new byte[0] : (response.json() + "\n").getBytes(StandardCharsets.UTF_8);
      FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
          Unpooled.wrappedBuffer(body));
      response.headers().forEach((k, v) -> out.headers().set(k, v));
      if (response.json() != null) {
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
      }
      HttpUtil.setContentLength(out, body.length);
      if (keepAlive) {
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(out);
      } else {
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // TLS refusals (no or foreign client certificate) end here
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
