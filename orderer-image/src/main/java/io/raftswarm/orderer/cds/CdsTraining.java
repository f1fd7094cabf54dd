package io.raftswarm.orderer.cds;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.cds.TrainingNetwork;
import io.raftswarm.common.cds.TrainingRun;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.grpc.FirstResponse;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.Orderer;
import io.raftswarm.orderer.OrdererMain;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * The training run that scripts/build-images performs inside the orderer image for its AOT cache
 * (Java 25: {@code java <image flags> -XX:AOTCacheOutput=... io.raftswarm.orderer.cds.CdsTraining})
 * or class-data-sharing archive (Java 17: {@code -XX:DumpLoadedClassList=...}).
 * It starts three orderers in this JVM the way {@link OrdererMain} does (ORDERER_* settings, TLS, a
 * channel from a genesis block, fresh WALs), waits for {@code /healthz} and a leader, orders signed
 * transactions through a follower (forwarded to the leader), stops the leader, waits for another to
 * take over and orders again, then halts that one as a crash would and waits for the last follower
 * to campaign, then exits, so that the archive holds the classes of start-up, of the ordering path,
 * of a hand-off and of a crash failover. Everything lives in a temporary
 * directory that is removed at the end; only loopback ports are used. Not for production use.
 */
public final class CdsTraining {
  private static final String CHANNEL = TrainingNetwork.CHANNEL;
  private static final int ROUNDS = 5;
  private static final int PER_ROUND = 100;
  /** Pipelined Broadcast streams, and envelopes on each, with payloads the size of the benches' (1 KB). */
  private static final int STREAMS = 2;
  private static final int PER_STREAM = 2_500;
  private static final int PAYLOAD_BYTES = 1024;

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    TrainingRun.main(OrdererMain::applyLoggingSpec, CdsTraining::run);
  }

  private static void run(Path dir) throws Exception {
    TrainingNetwork network = TrainingNetwork.generate(dir);
    CryptoTree crypto = network.crypto();
    int n = TrainingNetwork.ORDERERS.size();
    int[] ports = TrainingRun.freePorts(3 * n);
    int[] listen = new int[n];
    int[] cluster = new int[n];
    for (int i = 0; i < n; i++) {
      listen[i] = ports[3 * i];
      cluster[i] = ports[3 * i + 1];
    }
    ChannelConfig channel = network.channel(listen, cluster);
    Path channels = Files.createDirectories(dir.resolve("channels"));
    Files.write(channels.resolve(CHANNEL + ".block"), ChannelConfigs.genesisBlock(channel).toByteArray());

    List<Orderer> orderers = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        orderers.add(Orderer.start(OrdererConfigLoader.load(env(network, TrainingNetwork.ORDERERS.get(i), listen[i],
            cluster[i], ports[3 * i + 2], channels, dir.resolve("data-" + i)))));
      }
      for (int i = 0; i < n; i++) {
        TrainingRun.awaitHealthy("orderer " + (i + 1), ports[3 * i + 2], 60_000);
      }
      // A group of three, as in a network: elections and votes, a leader's log appenders, followers
      // taking appends and forwarding transactions; then the leader stops and another takes over,
      // so the archive also holds the failover path (a successor's first appends were measured at
      // 0.5 s on the loaded lab when that code first ran there).
      int leader = awaitLeader(orderers, -1);
      order(crypto, network, listen[(leader + 1) % n]);
      orderers.get(leader).close();
      int next = awaitLeader(orderers, leader);
      int follower = IntStream.range(0, n).filter(i -> i != leader && i != next).findFirst().orElseThrow();
      order(crypto, network, listen[follower]);
      TrainingRun.get(ports[3 * next + 2], "/metrics");
      TrainingRun.get(ports[3 * next + 2], "/status");
      // Then that leader dies without a hand-off, as in kill -9: the last follower notices the broken
      // connection and campaigns at once (LeaderLossElection), the path of every crash failover.
      // Untrained, it ran cold on the lab: 0.3 s from noticing to campaigning in the first kill
      // after provisioning, and the next consenter in line won instead (docs/BENCHMARKS.md).
      Chain survivor = orderers.get(follower).chain(CHANNEL).orElseThrow();
      orderers.get(next).halt();
      awaitCampaign(survivor);
    } finally {
      for (Orderer o : orderers) {
        try {
          o.close();
        } catch (RuntimeException e) {
          // already closed (the stopped leader) or failing to close: the run is over either way
        }
      }
    }
  }

  private static Map<String, String> env(TrainingNetwork network, String node, int listen, int cluster, int operations,
      Path channels, Path data) {
    Path tlsDir = network.ordererTls(node);
    Map<String, String> env = new HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(listen));
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", network.crypto().nodeMsp(network.ordererOrg(), node).toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", tlsDir.resolve("server.key").toString());
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", tlsDir.resolve("server.crt").toString());
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", "[" + tlsDir.resolve("ca.crt") + "]");
    env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", Integer.toString(cluster));
    env.put("ORDERER_GENERAL_BOOTSTRAPDIR", channels.toString());
    env.put("ORDERER_FILELEDGER_LOCATION", data.toString());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + operations);
    return env;
  }

  /** The index of the orderer that leads the channel, other than {@code not}, waiting up to 60 s. */
  private static int awaitLeader(List<Orderer> orderers, int not) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      for (int i = 0; i < orderers.size(); i++) {
        if (i == not) {
          continue;
        }
        Chain chain = orderers.get(i).chain(CHANNEL).orElseThrow();
        if (chain.leaderId() == chain.nodeId()) {
          return i;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no training orderer became leader of " + CHANNEL + " in 60 s");
  }

  /**
   * Waits until {@code survivor} knows no leader any more (it campaigns; alone of three it cannot
   * win), and a little longer for its vote requests to fail.
   */
  private static void awaitCampaign(Chain survivor) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!survivor.consensusErrored()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the training follower did not campaign within 30 s of its leader's halt");
      }
      Thread.sleep(50);
    }
    Thread.sleep(1_000);
  }

  /**
   * Orders transactions through the orderer listening on {@code port} the two ways clients send
   * them: {@value #ROUNDS} rounds of {@value #PER_ROUND} envelopes on a stream each (as Fabric's
   * peer CLI does), then {@value #STREAMS} long-lived streams of {@value #PER_STREAM} pipelined
   * envelopes with 1 KB payloads (as SDKs, Fabric's broadcast_msg and the benches do). Enough calls
   * that, on Java 25, the AOT cache's method profiles of the ordering path are those of a busy
   * orderer, so the JIT compiles it from the start.
   */
  private static void order(CryptoTree crypto, TrainingNetwork network, int port) throws Exception {
    SigningIdentity user = crypto.userIdentity(network.org1(), "User1");
    TlsMaterial clientTls = crypto.userTlsMaterial(network.org1(), "User1").withTrustedRoots(crypto.allTlsRoots());
    ManagedChannel connection = GrpcChannels.open("127.0.0.1:" + port, clientTls);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        List<CompletableFuture<BroadcastResponse>> answers = new ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
          answers.add(broadcast(connection, Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL,
              ByteString.copyFromUtf8("cds training " + port + " " + round + "/" + i), user)));
        }
        for (CompletableFuture<BroadcastResponse> answer : answers) {
          BroadcastResponse response = answer.get(30, TimeUnit.SECONDS);
          if (response.getStatusValue() != 200) {
            throw new IllegalStateException("training transaction refused: " + response.getStatus() + " " + response.getInfo());
          }
        }
      }
      Random random = new Random(port);
      List<CompletableFuture<Void>> streams = new ArrayList<>();
      for (int stream = 0; stream < STREAMS; stream++) {
        List<Envelope> envelopes = new ArrayList<>(PER_STREAM);
        for (int i = 0; i < PER_STREAM; i++) {
          byte[] payload = new byte[PAYLOAD_BYTES];
          random.nextBytes(payload);
          envelopes.add(Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL, ByteString.copyFrom(payload), user));
        }
        streams.add(pipelined(connection, envelopes));
      }
      for (CompletableFuture<Void> stream : streams) {
        stream.get(120, TimeUnit.SECONDS);
      }
    } finally {
      connection.shutdownNow();
    }
  }

  /** Sends {@code envelopes} on one Broadcast stream without waiting; completes once each got SUCCESS. */
  private static CompletableFuture<Void> pipelined(ManagedChannel connection, List<Envelope> envelopes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger answered = new AtomicInteger();
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(connection).broadcast(new StreamObserver<>() {
      @Override
      public void onNext(BroadcastResponse response) {
        if (response.getStatusValue() != 200) {
          done.completeExceptionally(new IllegalStateException(
              "training transaction refused: " + response.getStatus() + " " + response.getInfo()));
        } else if (answered.incrementAndGet() == envelopes.size()) {
          done.complete(null);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.completeExceptionally(new IllegalStateException("the training orderer closed a Broadcast stream after "
            + answered.get() + " of " + envelopes.size() + " answers"));
      }
    });
    envelopes.forEach(requests::onNext);
    return done.whenComplete((ok, error) -> requests.onCompleted());
  }

  /**
   * Broadcasts one envelope on a stream of its own and half-closes it (the orderer answers what it
   * holds first). A round's envelopes are in flight together, so its blocks hold several.
   */
  private static CompletableFuture<BroadcastResponse> broadcast(ManagedChannel connection, Envelope envelope) {
    CompletableFuture<BroadcastResponse> answer = new CompletableFuture<>();
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(connection)
        .broadcast(FirstResponse.into(answer, "the training orderer closed the Broadcast stream without an answer"));
    requests.onNext(envelope);
    requests.onCompleted();
    return answer;
  }
}
