package io.raftswarm.orderer.bench;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.orderer.Orderer;
import io.raftswarm.orderer.config.OrdererConfig;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;

/**
 * Benchmark (not a test): seven orderers in one JVM on loopback with TLS and fsync, ~1 KB signed
 * envelopes pipelined to a follower. Prints ordered tx/s, submit→ack latency (ack = block
 * committed by a Raft majority) and the leader failover timings. Run with scripts/bench-orderer.
 *
 * <p>Arguments (all optional): seconds=20 streams=4 window=1000 payload=1024 warmup=5
 * batchTimeoutMs=200 maxMessageCount=500 pool=250000 (pre-signed envelopes; each txId is used once).
 */
public final class OrdererBench {
  private static final String CHANNEL = "benchchannel";

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
    int streams = Integer.parseInt(a.getOrDefault("streams", "4"));
    int window = Integer.parseInt(a.getOrDefault("window", "1000"));
    int payload = Integer.parseInt(a.getOrDefault("payload", "1024"));
    BatchSettings batch = new BatchSettings(Duration.ofMillis(Long.parseLong(a.getOrDefault("batchTimeoutMs", "200"))),
        Integer.parseInt(a.getOrDefault("maxMessageCount", "500")), 10 * 1024 * 1024, 2 * 1024 * 1024);

    Path dir = Files.createTempDirectory("orderer-bench");
    LocalNetworkFixture fixture = LocalNetworkFixture.create(dir, 7, 0, List.of(CHANNEL), RaftOptions.defaults(), batch);
    // Sign before the orderers start: signing saturates the CPU and would disturb their elections.
    SigningIdentity user = fixture.user("Org1", "User1");
    int poolSize = Integer.parseInt(a.getOrDefault("pool", "250000"));
    System.out.printf("signing %d envelopes of %d payload bytes (each txId is used once)...%n", poolSize, payload);
    List<Envelope> pool = java.util.stream.IntStream.range(0, poolSize).parallel().mapToObj(i -> tx(user, payload)).toList();
    Orderer[] orderers = new Orderer[8];
    for (int id = 1; id <= 7; id++) {
      orderers[id] = Orderer.start(config(fixture, dir, id));
    }
    try {
      int leader = awaitLeader(orderers, 0, 30_000);
      int follower = leader % 7 + 1;
      System.out.printf("7 orderers up, leader of %s is %d; clients send to follower %d (%s)%n", CHANNEL, leader, follower,
          fixture.orderer(follower).endpoint());
      System.out.printf("envelope size %d bytes%n", pool.get(0).getSerializedSize());

      // Throughput and latency.
      Recorder latency = new Recorder(3);
      AtomicLong acked = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong next = new AtomicLong();
      List<Thread> senders = new ArrayList<>();
      List<OrdererClient> clients = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        OrdererClient client = new OrdererClient(fixture.orderer(follower).endpoint(), fixture.clientTls("Org1"));
        clients.add(client);
        Thread t = new Thread(() -> send(client, pool, next, window, stop, latency, acked, failed), "bench-sender-" + s);
        senders.add(t);
        t.start();
      }
      Thread.sleep(warmup * 1000L);
      latency.reset();
      long startAcked = acked.get();
      long startFailed = failed.get();
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long measuredAcked = acked.get() - startAcked;
      double elapsed = (System.nanoTime() - start) / 1e9;
      Histogram h = latency.getIntervalHistogram();
      stop.set(true);
      for (Thread t : senders) {
        t.join(30_000);
      }
      long height = orderers[leader].chain(CHANNEL).orElseThrow().ledger().height();
      System.out.printf("THROUGHPUT: %.0f tx/s ordered (%d acknowledged in %.1f s, %d not SUCCESS), chain height %d%n",
          measuredAcked / elapsed, measuredAcked, elapsed, failed.get() - startFailed, height);
      System.out.printf("LATENCY submit->ack (committed): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);

      // Failover: moderate load through a follower, kill the leader.
      failover(fixture, orderers, pool, user, payload);
      clients.forEach(OrdererClient::close);
    } finally {
      for (int id = 1; id <= 7; id++) {
        if (orderers[id] != null) {
          orderers[id].close();
        }
      }
    }
    System.exit(0);
  }

  private static void send(OrdererClient client, List<Envelope> pool, AtomicLong next, int window, AtomicBoolean stop,
      Recorder latency, AtomicLong acked, AtomicLong failed) {
    Semaphore permits = new Semaphore(window);
    try (OrdererClient.BroadcastStream stream = client.broadcastStream()) {
      while (!stop.get()) {
        permits.acquire();
        long i = next.getAndIncrement();
        if (i >= pool.size()) {
          System.out.println("envelope pool exhausted: raise pool=");
          permits.release();
          break;
        }
        Envelope e = pool.get((int) i);
        long t0 = System.nanoTime();
        stream.send(e).whenComplete((r, err) -> {
          permits.release();
          if (err == null && r.getStatus() == Status.SUCCESS) {
            acked.incrementAndGet();
            latency.recordValue((System.nanoTime() - t0) / 1000);
          } else {
            failed.incrementAndGet();
          }
        });
      }
      permits.acquire(window);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void failover(LocalNetworkFixture fixture, Orderer[] orderers, List<Envelope> unused, SigningIdentity user,
      int payload) throws Exception {
    int leader = awaitLeader(orderers, 0, 30_000);
    int via = leader % 7 + 1;
    var survivor = orderers[via].chain(CHANNEL).orElseThrow().ledger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong firstReject = new AtomicLong();
    AtomicLong lastReject = new AtomicLong();
    AtomicLong rejects = new AtomicLong();
    OrdererClient client = new OrdererClient(fixture.orderer(via).endpoint(), fixture.clientTls("Org1"));
    Thread load = new Thread(() -> {
      Semaphore permits = new Semaphore(50);
      try (OrdererClient.BroadcastStream stream = client.broadcastStream()) {
        while (!stop.get()) {
          permits.acquire();
          stream.send(tx(user, payload)).whenComplete((r, err) -> {
            permits.release();
            if (err != null || r.getStatus() != Status.SUCCESS) {
              long now = System.nanoTime();
              rejects.incrementAndGet();
              firstReject.compareAndSet(0, now);
              lastReject.set(now);
            }
          });
          Thread.sleep(2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-failover-load");
    load.start();
    Thread.sleep(2000);
    long heightAtKill = survivor.height();
    long kill = System.nanoTime();
    orderers[leader].close();
    long closed = System.nanoTime();
    orderers[leader] = null;
    int newLeader = awaitLeader(orderers, leader, 30_000);
    long elected = System.nanoTime();
    while (survivor.height() <= heightAtKill + 1 && System.nanoTime() - kill < 30_000_000_000L) {
      Thread.sleep(1);
    }
    long nextBlock = System.nanoTime();
    Thread.sleep(3000);
    stop.set(true);
    load.join(10_000);
    client.close();
    System.out.printf("FAILOVER: killed leader %d (close took %.0f ms); new leader %d known %.0f ms after the kill; "
            + "next block committed %.0f ms after the kill%n", leader, (closed - kill) / 1e6, newLeader,
        (elected - kill) / 1e6, (nextBlock - kill) / 1e6);
    System.out.printf("FAILOVER: client saw %d rejections over a window of %.0f ms%n", rejects.get(),
        rejects.get() == 0 ? 0.0 : (lastReject.get() - firstReject.get()) / 1e6);
  }

  private static int awaitLeader(Orderer[] orderers, int not, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      for (int id = 1; id <= 7; id++) {
        if (id != not && orderers[id] != null && orderers[id].chain(CHANNEL).orElseThrow().cutter().isLeader()) {
          return id;
        }
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no leader within " + timeoutMillis + " ms");
  }

  private static Envelope tx(SigningIdentity user, int payload) {
    byte[] data = new byte[payload];
    ThreadLocalRandom.current().nextBytes(data);
    return Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL, ByteString.copyFrom(data), user);
  }

  private static OrdererConfig config(LocalNetworkFixture fixture, Path dir, int id) {
    var node = fixture.orderer(id);
    Map<String, String> env = new HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(node.port()));
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", node.mspDir().toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", node.tlsDir().resolve("server.key").toString());
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", node.tlsDir().resolve("server.crt").toString());
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", node.tlsDir().resolve("ca.crt").toString());
    env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", Integer.toString(node.clusterPort()));
    env.put("ORDERER_GENERAL_BOOTSTRAPDIR", dir.resolve("channel-artifacts").toString());
    env.put("ORDERER_FILELEDGER_LOCATION", dir.resolve("data").resolve(node.name()).toString());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + node.operationsPort());
    return OrdererConfigLoader.load(env);
  }

  private OrdererBench() {}

}
