package io.raftswarm.orderer;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.testing.LocalNetworkFixture.OrdererNode;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.orderer.bench.OrdererClient;
import io.raftswarm.orderer.chain.BlockCutter;
import io.raftswarm.orderer.config.OrdererConfig;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;

/** Seven (or N) orderers in this JVM on loopback with TLS, configured through the ORDERER_* variables. */
final class TestCluster implements AutoCloseable {
  /** An orderer starts or stops in a few seconds here; one still at it after this gets its threads dumped. */
  private static final Duration SLOW_STEP = Duration.ofSeconds(30);
  final LocalNetworkFixture fixture;
  final Path dir;
  private final Orderer[] orderers;
  private final long snapshotEntries;
  private final Map<Integer, Map<String, String>> envOverrides = new HashMap<>();

  TestCluster(Path dir, int size, List<String> channels, BatchSettings batch, long snapshotEntries) {
    this.dir = dir;
    this.fixture = LocalNetworkFixture.create(dir, size, 0, channels, RaftOptions.defaults(), batch);
    this.orderers = new Orderer[size + 1];
    this.snapshotEntries = snapshotEntries;
  }

  static BatchSettings testBatch() {
    return new BatchSettings(Duration.ofMillis(200), 5, 256 * 1024, 128 * 1024);
  }

  /** Sets an ORDERER_* variable for orderer {@code id}, taking effect at its next start. */
  TestCluster env(int id, String name, String value) {
    envOverrides.computeIfAbsent(id, k -> new HashMap<>()).put(name, value);
    return this;
  }

  /** Sets an ORDERER_* variable for every orderer, taking effect at their next start. */
  TestCluster envAll(String name, String value) {
    for (int id = 1; id <= size(); id++) {
      env(id, name, value);
    }
    return this;
  }

  int size() {
    return orderers.length - 1;
  }

  OrdererConfig config(int id) {
    OrdererNode node = fixture.orderer(id);
    Map<String, String> env = fixture.ordererEnvironment(id, dir.resolve("data").resolve(node.name()));
    env.put("ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES", Long.toString(snapshotEntries));
    env.putAll(envOverrides.getOrDefault(id, Map.of()));
    return OrdererConfigLoader.load(env);
  }

  void startAll() {
    startTogether(size(), id -> start(id + 1));
  }

  /** What starts one orderer ({@code index} 0..n-1); may throw. */
  interface OrdererStart {
    void start(int index) throws Exception;
  }

  /**
   * Starts {@code n} orderers at once, one thread each: each start waits for its Raft group,
   * which needs a majority of them up. Throws the first failure once all have returned.
   */
  static void startTogether(int n, OrdererStart start) {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int index = 0; index < n; index++) {
      int i = index;
      Thread t = new Thread(() -> {
        try {
          start.start(i);
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("orderers failed to start", failures.get(0));
    }
  }

  Orderer start(int id) throws Exception {
    try (SlowStepDump watch = SlowStepDump.after(SLOW_STEP, "start of orderer " + id)) {
      orderers[id] = Orderer.start(config(id));
    }
    return orderers[id];
  }

  void stop(int id) {
    Orderer o = orderers[id];
    orderers[id] = null;
    if (o != null) {
      try (SlowStepDump watch = SlowStepDump.after(SLOW_STEP, "stop of orderer " + id)) {
        o.close();
      }
    }
  }

  /** Stops orderer {@code id} without a leadership hand-off, as close to a crash as one JVM allows. */
  void kill(int id) {
    Orderer o = orderers[id];
    orderers[id] = null;
    if (o != null) {
      o.halt();
    }
  }

  Orderer orderer(int id) {
    return orderers[id];
  }

  boolean running(int id) {
    return orderers[id] != null;
  }

  /** The block cutter of the leader all running orderers agree on, once there is one (waits up to 30 s). */
  BlockCutter leaderCutter(String channel) {
    await().atMost(Duration.ofSeconds(30)).until(() -> agreedLeader(channel) > 0);
    return orderers[agreedLeader(channel)].chain(channel).orElseThrow().cutter();
  }

  /** A leader and one of its followers, both holding the same blocks when returned. */
  record LeaderAndFollower(int leader, int follower) {}

  /**
   * Starts every orderer, waits for an agreed leader of {@code channel}, orders {@code txs}
   * transactions through it and waits until the next orderer after it holds as many blocks.
   */
  LeaderAndFollower startWithFollowerInSync(String channel, int txs) throws Exception {
    startAll();
    await().atMost(Duration.ofSeconds(30)).until(() -> agreedLeader(channel) > 0);
    int leader = agreedLeader(channel);
    int follower = leader % size() + 1;
    sendAll(channel, leader, txs);
    await().atMost(Duration.ofSeconds(30)).until(() -> height(follower, channel) == height(leader, channel));
    return new LeaderAndFollower(leader, follower);
  }

  /** Consenter id of the leader all running orderers agree on, or 0. */
  int agreedLeader(String channel) {
    int leader = -1;
    int leaders = 0;
    for (int id = 1; id <= size(); id++) {
      if (orderers[id] == null) {
        continue;
      }
      var chain = orderers[id].chain(channel).orElseThrow();
      if (chain.role() == org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER && chain.cutter().isLeader()) {
        leaders++;
      }
      if (leader == -1) {
        leader = chain.leaderId();
      } else if (leader != chain.leaderId()) {
        return 0;
      }
    }
    return leaders == 1 && leader > 0 && orderers[leader] != null ? leader : 0;
  }

  OrdererClient client(int id) {
    return new OrdererClient(fixture.orderer(id).endpoint(), fixture.clientTls("Org1"));
  }

  Envelope tx(String channel, int payloadBytes) {
    byte[] data = new byte[payloadBytes];
    ThreadLocalRandom.current().nextBytes(data);
    return Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, channel, ByteString.copyFrom(data), fixture.user("Org1", "User1"));
  }

  static String txId(Envelope envelope) {
    try {
      return Envelopes.parse(envelope).channelHeader().getTxId();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Broadcasts {@code count} fresh ~1 KB transactions through orderer {@code via}; all must be SUCCESS. */
  void sendAll(String channel, int via, int count) throws Exception {
    List<Envelope> txs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      txs.add(tx(channel, 1024));
    }
    try (OrdererClient client = client(via)) {
      org.assertj.core.api.Assertions.assertThat(client.broadcast(txs, 60))
          .extracting(org.hyperledger.fabric.protos.orderer.BroadcastResponse::getStatus)
          .containsOnly(org.hyperledger.fabric.protos.common.Status.SUCCESS);
    }
  }

  /** Header hashes of every block of the channel on orderer {@code id}. */
  List<String> hashes(int id, String channel) {
    var ledger = orderers[id].chain(channel).orElseThrow().ledger();
    List<String> out = new ArrayList<>();
    for (long n = 0; n < ledger.height(); n++) {
      out.add(HexFormat.of().formatHex(BlockHashing.headerHash(ledger.block(n).getHeader())));
    }
    return out;
  }

  /** The height every running orderer has reached once they agree on it (waits up to {@code wait}). */
  long settledHeight(String channel, Duration wait) {
    await().atMost(wait).until(() -> {
      long first = -1;
      for (int id = 1; id <= size(); id++) {
        if (running(id)) {
          long h = height(id, channel);
          if (first >= 0 && h != first) {
            return false;
          }
          first = h;
        }
      }
      return first >= 0;
    });
    for (int id = 1; id <= size(); id++) {
      if (running(id)) {
        return height(id, channel);
      }
    }
    throw new IllegalStateException("no orderer is running");
  }

  long height(int id, String channel) {
    return orderers[id].chain(channel).orElseThrow().ledger().height();
  }

  List<String> txIdsInLedger(int id, String channel) {
    var ledger = orderers[id].chain(channel).orElseThrow().ledger();
    List<String> out = new ArrayList<>();
    for (long n = 1; n < ledger.height(); n++) {
      Block b = ledger.block(n);
      for (ByteString e : b.getData().getDataList()) {
        try {
          out.add(txId(Envelope.parseFrom(e)));
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (int id = 1; id <= size(); id++) {
      stop(id);
    }
  }
}
