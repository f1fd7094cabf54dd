package io.raftswarm.orderer;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.common.status.StatusJson;
import io.raftswarm.common.tls.GrpcServers;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.common.tls.UpdatableTrust;
import io.raftswarm.orderer.broadcast.BroadcastHandler;
import io.raftswarm.orderer.broadcast.EnvelopeValidator;
import io.raftswarm.orderer.broadcast.ForwardService;
import io.raftswarm.orderer.broadcast.ForwardingRules;
import io.raftswarm.orderer.broadcast.InlineCalls;
import io.raftswarm.orderer.broadcast.LeaderForwarder;
import io.raftswarm.orderer.broadcast.TlsCaller;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.chain.ChainRuntime;
import io.raftswarm.orderer.chain.ConsenterIds;
import io.raftswarm.orderer.cluster.ClusterService;
import io.raftswarm.orderer.cluster.OpenWatches;
import io.raftswarm.orderer.config.ConfigException;
import io.raftswarm.orderer.config.ConsenterPlacement;
import io.raftswarm.orderer.config.OrdererConfig;
import io.raftswarm.orderer.deliver.DeliverHandler;
import io.raftswarm.orderer.ops.OperationsServer;
import io.raftswarm.orderer.ops.OrdererMetrics;
import io.raftswarm.orderer.participation.AdminServer;
import io.raftswarm.orderer.participation.JoinedChannels;
import io.raftswarm.orderer.raft.CheckQuorum;
import io.raftswarm.orderer.raft.LogCacheEviction;
import io.raftswarm.orderer.raft.RaftSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.LifeCycle;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running orderer: a Ratis server with one Raft group per channel, the AtomicBroadcast
 * (Broadcast/Deliver) and cluster gRPC services on the general port, and the operations HTTP
 * endpoint. Start with {@link #start(OrdererConfig)}; {@link #close()} stops everything.
 */
public final class Orderer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.server");
  /** docker stop waits 10 s before SIGKILL; a hand-off takes well under a second when followers are current. */
  private static final Duration HAND_OFF_TIMEOUT = Duration.ofSeconds(2);

  private final String nodeName;
  private final OrdererChannels channels;
  private final OrdererMetrics metrics;
  private final LeaderForwarder forwarder;
  private final ForwardingRules forwarding;
  private final LongSupplier nanoClock;
  private final ExecutorService forwardFlusher;
  private final ExecutorService notifier;
  private final ExecutorService catchUp;
  private final ExecutorService deliverExecutor;
  private final ScheduledExecutorService scheduler;
  /** Syncs the ledgers once a second, off the Raft apply thread that writes them (Chain#syncLedger). */
  private final ScheduledExecutorService ledgerSync = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ledger-sync"));
  /**
   * Changes the Raft groups' members to what the channels' configs name (see
   * Chain#reconcileRaftMembers), and restarts a Raft node whose log stopped (Chain#restartIfRaftLogStuck).
   */
  private final ScheduledExecutorService raftMembers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "raft-members"));
  /** Opens and keeps open the Raft connections elections use (see ElectionConnections): its probes may block. */
  private final ScheduledExecutorService raftConnections =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "raft-connections"));
  private RaftServer raftServer;
  private Server grpcServer;
  /** Set with {@link #grpcServer}: the followers' forward streams, told of a hand-off on stop. */
  private ForwardService forwardService;
  private OperationsServer operations;
  private AdminServer admin;
  private final OpenWatches watches = new OpenWatches();

  private Orderer(String nodeName, OrdererChannels channels, OrdererMetrics metrics, LeaderForwarder forwarder,
      ForwardingRules forwarding, LongSupplier nanoClock, ExecutorService forwardFlusher, ExecutorService notifier,
      ExecutorService catchUp, ExecutorService deliverExecutor, ScheduledExecutorService scheduler) {
    this.nodeName = nodeName;
    this.channels = channels;
    this.metrics = metrics;
    this.forwarder = forwarder;
    this.forwarding = forwarding;
    this.nanoClock = nanoClock;
    this.forwardFlusher = forwardFlusher;
    this.notifier = notifier;
    this.catchUp = catchUp;
    this.deliverExecutor = deliverExecutor;
    this.scheduler = scheduler;
  }

  /** Starts an orderer; on failure everything already started is stopped again. */
  public static Orderer start(OrdererConfig config) throws IOException {
    SigningIdentity signer = SigningIdentity.load(config.localMspDir(), config.localMspId());
    X509Certificate tlsCert = Pem.readCertificate(config.tlsCertificate());
    var tlsKey = Pem.readPrivateKey(config.tlsPrivateKey());
    JoinedChannels stored = new JoinedChannels(config.ledgerDir());
    Map<String, Block> genesisBlocks = new LinkedHashMap<>();
    Map<String, ChannelConfig> configs = new LinkedHashMap<>();
    for (Path file : config.genesisBlocks()) {
      Block block;
      ChannelConfig channel;
      try {
        block = Block.parseFrom(Files.readAllBytes(file));
        channel = ChannelConfigs.fromGenesis(block);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("genesis block " + file + " cannot be read as a Fabric config block: " + e.getMessage(), e);
      }
      if (configs.put(channel.channelId(), channel) != null) {
        throw new ConfigException("two genesis blocks define channel " + channel.channelId() + " (second: " + file + ")");
      }
      genesisBlocks.put(channel.channelId(), block);
    }
    Set<String> bootstrap = new LinkedHashSet<>(genesisBlocks.keySet());
    for (String channel : List.copyOf(bootstrap)) {
      if (stored.removed(channel, genesisBlocks.get(channel))) {
        LOG.info("Not serving channel {}: it was removed through the channel participation API", channel);
        bootstrap.remove(channel);
        genesisBlocks.remove(channel);
        configs.remove(channel);
      }
    }
    for (Block block : stored.joinBlocks(Set.copyOf(genesisBlocks.keySet()))) {
      ChannelConfig channel = ChannelConfigs.fromGenesis(block);
      configs.put(channel.channelId(), channel);
      genesisBlocks.put(channel.channelId(), block);
    }
    // An orderer added to a running network finds the network's genesis blocks in its bootstrap
    // directory without being a consenter of them: it waits to be joined (osnadmin channel join
    // with the newest config block, after a config update added it), as Fabric's orderers do.
    Set<String> waitingForJoin = new LinkedHashSet<>();
    for (String channel : bootstrap) {
      if (ConsenterIds.consenterId(configs.get(channel), tlsCert) == 0 && !Files.isDirectory(stored.ledger(channel))) {
        LOG.info("Not a consenter of channel {} in its genesis block: not serving it until it is joined through the"
            + " channel participation API with a config block that names this orderer", channel);
        waitingForJoin.add(channel);
      }
    }
    // Serve them anyway (refusing to start would stop a network over a setting), but say so.
    OrdererMemory memory = OrdererMemory.ofThisJvm();
    configs.values().stream().filter(c -> !memory.fits(c.batch().absoluteMaxBytes())).forEach(c ->
        LOG.warn("Channel {}: {}; a block that large may run it out of memory."
            + " Give the orderer more memory (inventory resources.ordererMemory) or lower AbsoluteMaxBytes",
            c.channelId(), memory.shortfall(c.batch().absoluteMaxBytes())));
    if (configs.isEmpty()) {
      LOG.info("No channel to serve yet: join one through the channel participation API (osnadmin channel join){}",
          config.admin().isPresent() ? "" : ", which needs ORDERER_ADMIN_LISTENADDRESS");
    }
    List<X509Certificate> configuredRoots = config.tlsRootCas().stream().flatMap(p -> Pem.readCertificates(p).stream()).toList();
    Set<X509Certificate> ordererRoots = new LinkedHashSet<>(configuredRoots);
    configs.values().forEach(c -> c.ordererOrgs().stream().map(OrgMsp::tlsRootCerts).forEach(ordererRoots::addAll));
    Set<X509Certificate> roots = OrdererChannels.clientRoots(configuredRoots, configs.values());
    if (roots.isEmpty()) {
      throw new ConfigException("no TLS root CA to trust: set ORDERER_GENERAL_TLS_ROOTCAS (e.g. [tls/ca.crt]) or bootstrap"
          + " from a channel genesis block, whose orgs' TLS CAs are trusted");
    }
    TlsMaterial tls = new TlsMaterial(tlsCert, tlsKey, List.copyOf(roots));
    String nodeName = ConsenterIds.peerId(tlsCert, config.listenAddress() + ":" + config.listenPort());
    OptionalInt preferredRank = preferredRank(config.placement(), configs.values(), tlsCert);
    Duration[] electionTimeouts = RaftSettings.electionTimeouts(config, List.copyOf(configs.values()));
    Duration electionMax = electionTimeouts[1];

    OrdererMetrics metrics = new OrdererMetrics();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService notifier = Executors.newSingleThreadExecutor(r -> daemon(r, "block-notifier-" + threads.incrementAndGet()));
    ExecutorService catchUp = Executors.newCachedThreadPool(r -> daemon(r, "catch-up-" + threads.incrementAndGet()));
    ExecutorService deliverExecutor = Executors.newCachedThreadPool(r -> daemon(r, "deliver-" + threads.incrementAndGet()));
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> daemon(r, "batch-timer-" + threads.incrementAndGet()));
    ScheduledExecutorService forwardFlusher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "forward-flusher"));
    // The one clock of the orderer's chain, Broadcast and forwarding code.
    LongSupplier nanoClock = System::nanoTime;
    ChainRuntime runtime = new ChainRuntime(nanoClock, notifier, catchUp, scheduler,
        channel -> Executors.newSingleThreadExecutor(r -> daemon(r, "chain-" + channel)));
    // A leader silent for 10 s with forwards waiting is given up on (LeaderWatch, leader changes and
    // the candidate grace catch the usual failures much sooner; this is the last resort).
    LeaderForwarder forwarder = new LeaderForwarder(tls, forwardFlusher,
        delay -> CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS), nanoClock, Duration.ofSeconds(10));
    // Park during an election for about three election timeouts (re-election normally takes one or
    // two); forwards sent to a replaced leader wait two for its answer, a candidate's forwards one;
    // a replaced leader silent for a minimum election timeout once the new one's block is written
    // answers no more.
    ForwardingRules forwarding = new ForwardingRules(forwarder, nanoClock, electionMax.multipliedBy(3),
        electionMax.multipliedBy(2), electionMax, electionTimeouts[0]);
    UpdatableTrust clientTrust = new UpdatableTrust(roots);
    OrdererChannels channels = new OrdererChannels(new OrdererChannels.Context(config.ledgerDir(), tlsCert, signer, tls,
        metrics, runtime, forwarding, clientTrust, configuredRoots, config.placement(), config.cutWhenIdle(),
        RaftSettings.leaderSilence(config, List.copyOf(configs.values()))));
    Orderer orderer = new Orderer(nodeName, channels, metrics, forwarder, forwarding, nanoClock, forwardFlusher, notifier,
        catchUp, deliverExecutor, scheduler);
    try {
      for (ChannelConfig channel : configs.values()) {
        if (waitingForJoin.contains(channel.channelId())) {
          continue;
        }
        channels.open(channel, genesisBlocks.get(channel.channelId()), bootstrap.contains(channel.channelId()));
      }
      orderer.startGrpc(config, tls, clientTrust);
      orderer.startRaft(config, List.copyOf(configs.values()), preferredRank, tlsKey, tlsCert, List.copyOf(ordererRoots));
      orderer.operations = new OperationsServer(config.operationsListenAddress(), config.operationsPort(), metrics,
          orderer::healthProblems, orderer::statusJson);
      if (config.admin().isPresent()) {
        orderer.admin = new AdminServer(config.admin().get(), channels);
      }
      Duration activeWindow = electionMax;
      scheduler.scheduleWithFixedDelay(() -> channels.all().forEach(c -> c.refreshGauges(activeWindow.toMillis())),
          1, 1, TimeUnit.SECONDS);
      // A config block adding or removing an org changes whom the client-facing port trusts.
      scheduler.scheduleWithFixedDelay(channels::refreshClientTrust, 1, 1, TimeUnit.SECONDS);
      // Consenter changes reach the Raft group from here (also one whose attempt failed, or that
      // no leader could act on): on a thread of its own, as a probe of an added consenter may wait.
      orderer.raftMembers.scheduleWithFixedDelay(() -> channels.all().forEach(Chain::reconcileRaftMembers),
          1, 1, TimeUnit.SECONDS);
      orderer.raftConnections.scheduleWithFixedDelay(() -> channels.all().forEach(Chain::keepElectionConnectionsOpen),
          2, 2, TimeUnit.SECONDS);
      orderer.ledgerSync.scheduleWithFixedDelay(() -> channels.all().forEach(Chain::syncLedger), 1, 1, TimeUnit.SECONDS);
      // Where a config does not say whose an orderer endpoint is (Fabric's need not), ask the endpoint.
      orderer.raftConnections.scheduleWithFixedDelay(channels::learnEndpoints, 0, 2, TimeUnit.SECONDS);
      // A leader re-notifies within a heartbeat; ten max election timeouts (6 s by default) with
      // no resume means the notifying leader is gone and Ratis would wait forever.
      Duration catchUpGrace = activeWindow.multipliedBy(10);
      scheduler.scheduleWithFixedDelay(() -> channels.all().forEach(c -> c.restartIfCatchUpUnacknowledged(catchUpGrace)),
          1, 1, TimeUnit.SECONDS);
      // Ratis 3.3.0 can wedge a follower's log after a partition (StuckLogWatch): the same grace.
      orderer.raftMembers.scheduleWithFixedDelay(
          () -> channels.all().forEach(c -> c.restartIfRaftLogStuck(catchUpGrace, electionTimeouts[0])), 1, 1, TimeUnit.SECONDS);
      scheduler.scheduleWithFixedDelay(() -> forwarding.abandonForwardsWhileCandidate(channels.all()),
          100, 100, TimeUnit.MILLISECONDS);
      // CheckQuorum: a leader cut off from the majority steps down even while its side keeps it
      // busy (Ratis 3.3.0 checks only when its leader is idle; raft/CheckQuorum has the window).
      Duration quorumWindow = CheckQuorum.window(electionMax);
      scheduler.scheduleWithFixedDelay(() -> channels.all().forEach(c -> c.stepDownIfQuorumLost(quorumWindow)),
          100, 100, TimeUnit.MILLISECONDS);
      LOG.info("Beginning to serve requests: orderer {} on {}:{} (cluster {}:{}, operations {}:{}{}), channels {}, TLS provider {}",
          nodeName, config.listenAddress(), config.listenPort(), config.clusterListenAddress(), config.clusterListenPort(),
          config.operationsListenAddress(), orderer.operations.port(),
          orderer.admin == null ? "" : ", admin " + config.admin().get().listenAddress() + ":" + orderer.admin.port(),
          channels.names(), TlsContexts.grpcProvider());
      return orderer;
    } catch (IOException | RuntimeException e) {
      orderer.close();
      throw e;
    }
  }

  private void startGrpc(OrdererConfig config, TlsMaterial tls, UpdatableTrust clientTrust) throws IOException {
    EnvelopeValidator validator = new EnvelopeValidator(channels::get);
    BroadcastHandler broadcast = new BroadcastHandler(validator, forwarding, metrics, nanoClock);
    forwardService = new ForwardService(broadcast);
    DeliverHandler deliver = new DeliverHandler(validator, deliverExecutor, metrics);
    AtomicBroadcastGrpc.AtomicBroadcastImplBase service = new AtomicBroadcastGrpc.AtomicBroadcastImplBase() {
      @Override
      public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responseObserver) {
        return broadcast.open(responseObserver, TlsCaller.CERTIFICATE.get());
      }

      @Override
      public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responseObserver) {
        return deliver.open(responseObserver);
      }
    };
    TlsCaller caller = new TlsCaller();
    // Without required client auth a presented certificate is still verified (Fabric's
    // VerifyClientCertIfGiven): consenters are recognised by it on the Forward/Cluster services.
    var serverTls = config.tlsClientAuthRequired()
        ? TlsContexts.serverRequiringClientAuth(tls, clientTrust)
        : TlsContexts.serverOptionalClientAuth(tls, clientTrust);
    grpcServer = GrpcServers.builder(new InetSocketAddress(config.listenAddress(), config.listenPort()), serverTls)
        .addService(ServerInterceptors.intercept(service, caller))
        .addService(ServerInterceptors.intercept(ClusterService.definition(channels::get, nodeName, watches), caller))
        .addService(ServerInterceptors.intercept(forwardService.definition(), caller))
        .callExecutor(InlineCalls.broadcastAndForward())
        .build();
    try {
      grpcServer.start();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + config.listenAddress() + ":" + config.listenPort()
          + " (ORDERER_GENERAL_LISTENADDRESS/ORDERER_GENERAL_LISTENPORT): " + e.getMessage(), e);
    }
  }

  private void startRaft(OrdererConfig config, List<ChannelConfig> configs, OptionalInt preferredRank, java.security.PrivateKey key,
      X509Certificate cert, List<X509Certificate> ordererRoots) throws IOException {
    Files.createDirectories(config.walDir());
    RaftPeerId self = RaftPeerId.valueOf(ConsenterIds.peerId(cert, config.clusterListenAddress() + ":" + config.clusterListenPort()));
    RaftProperties properties = RaftSettings.properties(config, configs, preferredRank);
    raftServer = RaftServer.newBuilder()
        .setServerId(self)
        .setProperties(properties)
        .setParameters(RaftSettings.tls(key, cert, ordererRoots))
        .setStateMachineRegistry(gid -> {
          Chain chain = channels.byGroup(gid);
          if (chain == null) {
            throw new IllegalStateException("the Raft WAL in " + config.walDir() + " holds group " + gid
                + ", which belongs to no channel of this orderer; remove that directory");
          }
          return chain.openStateMachine();
        })
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    channels.all().forEach(c -> c.attachTo(raftServer));
    try {
      raftServer.start();
    } catch (IOException e) {
      throw new IOException("cannot start the Raft server on " + config.clusterListenAddress() + ":"
          + config.clusterListenPort() + " (ORDERER_GENERAL_CLUSTER_LISTENPORT): " + e.getMessage(), e);
    }
    channels.raftStarted(new OrdererChannels.RunningRaft(raftServer, self, Set.copyOf(ordererRoots)));
    Set<RaftGroupId> existing = new LinkedHashSet<>();
    raftServer.getGroupIds().forEach(existing::add);
    for (Chain chain : channels.all()) {
      if (existing.contains(chain.groupId())) {
        LOG.info("Restarting Raft node from its WAL channel={} node={}", chain.channelId(), chain.nodeId());
        chain.raftStarted();
        continue;
      }
      channels.createGroup(chain);
      LOG.info("Starting raft node as part of a new channel channel={} node={}", chain.channelId(), chain.nodeId());
    }
  }

  /** This orderer's Raft server (tests in this package look at its connections). */
  RaftServer raftServer() {
    return raftServer;
  }

  /** The channel with this id, if this orderer serves it. */
  public Optional<Chain> chain(String channelId) {
    return Optional.ofNullable(channels.get(channelId));
  }

  public List<Chain> chains() {
    return List.copyOf(channels.all());
  }

  /** The admin endpoint's bound port (channel participation API); empty if it is not configured. */
  public Optional<Integer> adminPort() {
    return Optional.ofNullable(admin).map(AdminServer::port);
  }

  /** The node's name (the common name of its TLS certificate). */
  public String name() {
    return nodeName;
  }

  public int operationsPort() {
    return operations.port();
  }

  List<String> healthProblems() {
    List<String> problems = new ArrayList<>();
    RaftServer server = raftServer;
    if (server == null || server.getLifeCycleState() != LifeCycle.State.RUNNING) {
      problems.add("Raft server is " + (server == null ? "not started" : server.getLifeCycleState()));
      return problems;
    }
    for (Chain chain : channels.all()) {
      try {
        if (!server.getDivision(chain.groupId()).getInfo().isAlive()) {
          problems.add("Raft node of channel " + chain.channelId() + " is not running");
        }
      } catch (IOException e) {
        problems.add("Raft node of channel " + chain.channelId() + " is missing: " + e.getMessage());
      }
    }
    return problems;
  }

  /** The {@code /status} document (docs/CONTRACTS.md). */
  public String statusJson() {
    return StatusJson.write(status());
  }

  /** What {@code /status} reports: per channel its Raft role, leader, term and ledger tip. */
  public OrdererStatus status() {
    List<OrdererChannelStatus> out = new ArrayList<>();
    for (Chain chain : channels.all()) {
      // The term before the cut: a block landing between the two reads then shows with an older
      // term (counted one poll later), never an older block with a newer term.
      long lastBlockTerm = chain.lastBlockTerm();
      var cut = chain.cut();
      out.add(new OrdererChannelStatus(chain.channelId(), chain.nodeId(), chain.role().name(), chain.leaderId(),
          chain.term(), cut.height(), HexFormat.of().formatHex(cut.lastHash()), cut.appliedIndex(),
          chain.raftLogStartIndex(), lastBlockTerm));
    }
    return new OrdererStatus(nodeName, out);
  }

  @Override
  public void close() {
    // Hand off leadership while Broadcast still runs, so transactions arriving meanwhile are
    // forwarded to the new leader; then let the streams answer what they hold before closing.
    // Followers hear first that this leader's quiet is a hand-off, not a freeze.
    if (forwardService != null) {
      forwardService.announceHandOff();
    }
    channels.all().forEach(c -> c.handOffLeadership(HAND_OFF_TIMEOUT));
    // A stop on purpose: the others must not take the closing connections for a crash.
    watches.completeAll();
    // Transactions the others forwarded here before they saw the new leader are being passed on
    // to it; the others close their streams to this node once they follow the new leader (after
    // the forwarder's retire grace), so waiting for the calls to end lets those answers through.
    stop(HAND_OFF_TIMEOUT);
  }

  /** Stops everything without handing off leadership first (what a crash leaves the others with). */
  public void halt() {
    stop(Duration.ofMillis(500));
  }

  private void stop(Duration callsGrace) {
    if (admin != null) {
      admin.close();
    }
    if (operations != null) {
      operations.close();
    }
    if (grpcServer != null) {
      grpcServer.shutdown();
      try {
        grpcServer.awaitTermination(callsGrace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      grpcServer.shutdownNow();
    }
    forwarder.close();
    forwardFlusher.shutdownNow();
    if (raftServer != null) {
      LogCacheEviction.stopBeforeClose(raftServer);
      try {
        raftServer.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Raft server did not close cleanly: {}", e.getMessage());
      }
    }
    ledgerSync.shutdown(); // a sync under way finishes; closing each ledger syncs the rest
    channels.closeAll();
    scheduler.shutdownNow();
    raftMembers.shutdownNow();
    raftConnections.shutdownNow();
    notifier.shutdownNow();
    catchUp.shutdownNow();
    deliverExecutor.shutdownNow();
    if (grpcServer != null) {
      try {
        grpcServer.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * This orderer's rank among the preferred leaders (ConsenterPlacement) by consenter id, 0 first,
   * the latest over its channels; empty unless it is preferred on every channel (the Raft server's
   * timeouts are shared by all of them); 0 with no channel.
   */
  static OptionalInt preferredRank(ConsenterPlacement placement, Collection<ChannelConfig> channels, X509Certificate self) {
    int rank = 0;
    for (ChannelConfig c : channels) {
      int id = ConsenterIds.consenterId(c, self);
      Set<Integer> preferred = placement.preferredLeaders(c.consenters());
      if (!preferred.contains(id)) {
        return OptionalInt.empty();
      }
      rank = Math.max(rank, (int) preferred.stream().filter(other -> other < id).count());
    }
    return OptionalInt.of(rank);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
