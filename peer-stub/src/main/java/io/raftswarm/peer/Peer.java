package io.raftswarm.peer;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.status.PeerChannelStatus;
import io.raftswarm.common.status.PeerStatus;
import io.raftswarm.common.tls.GrpcServers;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.peer.chaincode.Chaincodes;
import io.raftswarm.peer.channel.ChannelLedger;
import io.raftswarm.peer.channel.ChannelManager;
import io.raftswarm.peer.channel.Channels;
import io.raftswarm.peer.deliver.PeerDeliverService;
import io.raftswarm.peer.endorser.EndorserService;
import io.raftswarm.peer.endorser.LocalMsp;
import io.raftswarm.peer.endorser.ProposalProcessor;
import io.raftswarm.peer.gateway.GatewayService;
import io.raftswarm.peer.ops.OperationsServer;
import io.raftswarm.peer.ops.PeerMetrics;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running peer: the gRPC server (peer.Endorser, peer.Deliver, gateway.Gateway) with mutual TLS, the joined
 * channels with their block pullers, and the operations endpoint. {@link #start} rejoins the
 * channels found under the file system path. Embeddable: tests start several in one JVM.
 */
public final class Peer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("peer");
  private final PeerConfig config;
  private final ChannelManager channels;
  private final Server server;
  private final OperationsServer operations;
  private final ExecutorService deliverExecutor;
  private final GatewayService gateway;

  private Peer(PeerConfig config, ChannelManager channels, Server server, OperationsServer operations,
      ExecutorService deliverExecutor, GatewayService gateway) {
    this.gateway = gateway;
    this.config = config;
    this.channels = channels;
    this.server = server;
    this.operations = operations;
    this.deliverExecutor = deliverExecutor;
  }

  public static Peer start(PeerConfig config) throws IOException {
    SigningIdentity identity = SigningIdentity.load(config.mspDir(), config.mspId());
    OrgMsp localMsp = LocalMsp.load(config.mspDir(), config.mspId());
    List<X509Certificate> ownTlsRoots = Pem.readCertificates(config.tlsRootCertFile());
    TlsMaterial tls = new TlsMaterial(Pem.readCertificate(config.tlsCertFile()), Pem.readPrivateKey(config.tlsKeyFile()),
        ownTlsRoots);
    Chaincodes chaincodes = Chaincodes.builtIn();
    PeerMetrics metrics = new PeerMetrics();
    ChannelTrust trust = new ChannelTrust(ownTlsRoots);
    int startIndex = Math.floorMod(config.peerId().hashCode(), 1 << 16);
    ChannelManager channels = new ChannelManager(config.chainsDir(), chaincodes, identity, tls,
        config.stallTimeout(), config.retryDelay(), startIndex, List.of(metrics));
    channels.onJoin(ledger -> {
      trust.update(clientRoots(ownTlsRoots, channels));
      metrics.channelHeight(ledger.channelId(), ledger.height());
      // A config update may add an org: its TLS CA is trusted from then on.
      ledger.addListener((channel, block, codes) -> {
        if (Blocks.isConfigBlock(block)) {
          trust.update(clientRoots(ownTlsRoots, channels));
        }
      });
    });
    channels.rejoinAll();

    ExecutorService deliverExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "deliver-" + config.peerId());
      t.setDaemon(true);
      return t;
    });
    ProposalProcessor processor = new ProposalProcessor(identity, localMsp, channels, chaincodes);
    GatewayService gateway = new GatewayService(processor, config.mspId(),
        config.peerId() + ":" + config.listenAddress().getPort(), channels, tls);
    channels.onJoin(gateway::track);
    channels.channelIds().forEach(id -> channels.ledger(id).ifPresent(gateway::track));
    Server server;
    try {
      server = GrpcServers.builder(config.listenAddress(), serverContext(tls, trust))
          .addService(new EndorserService(processor, metrics::proposalReceived, metrics::proposalAnswered))
          .addService(new PeerDeliverService(channels, deliverExecutor))
          .addService(gateway)
          .build()
          .start();
    } catch (IOException e) {
      gateway.close();
      channels.close();
      deliverExecutor.shutdownNow();
      throw new IOException("peer " + config.peerId() + " cannot listen on " + config.listenAddress()
          + " (" + e.getMessage() + "); is the port in use? set CORE_PEER_LISTENADDRESS", e);
    }
    OperationsServer operations;
    try {
      operations = new OperationsServer(config.operationsAddress(), metrics.registry(), () -> status(config, channels));
    } catch (IOException e) {
      server.shutdownNow();
      gateway.close();
      channels.close();
      deliverExecutor.shutdownNow();
      throw new IOException("peer " + config.peerId() + " cannot serve operations on " + config.operationsAddress()
          + " (" + e.getMessage() + "); set CORE_OPERATIONS_LISTENADDRESS", e);
    }
    log.info("Started peer {} (MSP {}) on {}, operations on {}, channels {}", config.peerId(), config.mspId(),
        server.getPort(), operations.port(), channels.channelIds());
    return new Peer(config, channels, server, operations, deliverExecutor, gateway);
  }

  private static List<X509Certificate> clientRoots(List<X509Certificate> own, Channels channels) {
    List<X509Certificate> roots = new ArrayList<>(own);
    for (String id : channels.channelIds()) {
      channels.ledger(id).ifPresent(l -> l.config().msps().msps().forEach(m -> roots.addAll(m.tlsRootCerts())));
    }
    return roots;
  }

  private static SslContext serverContext(TlsMaterial tls, ChannelTrust trust) throws SSLException {
    // JDK provider on purpose: ChannelTrust grows as channels are joined, and the JDK asks it for
    // the accepted issuers at every handshake. BoringSSL reads them once when the context is built,
    // so clients of orgs trusted later would find no matching CA and send no certificate.
    return GrpcSslContexts.configure(SslContextBuilder.forServer(TlsContexts.keyManagerFactory(tls)), SslProvider.JDK)
        .trustManager(trust)
        .clientAuth(ClientAuth.REQUIRE)
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
  }

  private static PeerStatus status(PeerConfig config, ChannelManager channels) {
    return new PeerStatus(config.peerId(),
        channels.channelIds().stream().map(id -> channelStatus(channels, id)).flatMap(Optional::stream).toList());
  }

  private static Optional<PeerChannelStatus> channelStatus(ChannelManager channels, String id) {
    return channels.ledger(id).map(l -> new PeerChannelStatus(id, l.height(), HexFormat.of().formatHex(l.lastBlockHash()),
        HexFormat.of().formatHex(l.state().hash()), channels.currentOrderer(id).orElse("")));
  }

  /** The gRPC port (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  public int operationsPort() {
    return operations.port();
  }

  public String id() {
    return config.peerId();
  }

  public Channels channels() {
    return channels;
  }

  /** The channel's height, hashes and pull source; empty when not joined. */
  public Optional<PeerChannelStatus> status(String channelId) {
    return channelStatus(channels, channelId);
  }

  public Optional<ChannelLedger> ledger(String channelId) {
    return channels.ledger(channelId);
  }

  /** Stops serving, stops pulling, checkpoints state and closes ledgers. */
  @Override
  public void close() {
    log.info("Stopping peer {}", config.peerId());
    operations.close();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gateway.close();
    channels.close();
    deliverExecutor.shutdownNow();
  }
}
