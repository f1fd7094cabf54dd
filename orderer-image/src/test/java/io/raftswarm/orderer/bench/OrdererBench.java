package io.raftswarm.orderer.bench;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.status.StatusJson;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.orderer.OrdererMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Benchmark (not a test): seven orderers as seven separate JVM processes ({@link io.raftswarm.orderer.OrdererMain}
 * configured through ORDERER_* variables) on loopback with TLS and fsync, ~1 KB signed envelopes
 * pipelined to a follower. Prints ordered tx/s, submit→ack latency (ack = block committed by a
 * Raft majority) and the leader failover timings after a real SIGKILL of the leader process
 * ({@link Process#destroyForcibly()}). Run with scripts/bench-orderer.
 *
 * <p>Arguments (all optional): seconds=20 streams=4 window=1000 payload=1024 warmup=5
 * batchTimeoutMs=200 maxMessageCount=500 pool=250000 (pre-signed envelopes; each txId is used once)
 * reuse=0 (1: cycle through the pool, for long warmups) heap=384m (per orderer JVM) failoverRate=500 (tx/s during the kill) election=300ms,600ms (sets
 * ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN/MAX; default: derived from the channel, 300..600 ms).
 */
public final class OrdererBench {
  static final String CHANNEL = "benchchannel";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Why transactions were not acknowledged during the throughput run, by reason. */
  private static final Map<String, AtomicLong> FAILURES = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * reuse=1: cycle through the pool instead of stopping when it runs out, for runs long enough
   * that the JIT settles. Needs pool= above the orderers' txId window (100,000): an envelope comes
   * back only after it left the window, so it is ordered again instead of refused as a duplicate.
   */
  private static boolean REUSE_POOL;

  /** What one orderer's /status said. */
  record NodeStatus(String role, int leaderId, long term, long height) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BenchArgs.parse(args, "usage: scripts/bench-orderer [seconds=20] [warmup=5] [streams=4]"
        + " [window=1000] [payload=1024] [pool=250000] [reuse=1] [failoverRate=500] [heap=384m]"
        + " [election=300ms,600ms] [batchTimeoutMs=200] [maxMessageCount=500]");
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
    int streams = Integer.parseInt(a.getOrDefault("streams", "4"));
    int window = Integer.parseInt(a.getOrDefault("window", "1000"));
    int payload = Integer.parseInt(a.getOrDefault("payload", "1024"));
    int failoverRate = Integer.parseInt(a.getOrDefault("failoverRate", "500"));
    String heap = a.getOrDefault("heap", "384m");
    String[] election = a.containsKey("election") ? a.get("election").split(",") : null;
    BatchSettings batch = new BatchSettings(Duration.ofMillis(Long.parseLong(a.getOrDefault("batchTimeoutMs", "200"))),
        Integer.parseInt(a.getOrDefault("maxMessageCount", "500")), 10 * 1024 * 1024, 2 * 1024 * 1024);

    Path dir = Files.createTempDirectory("orderer-bench");
    LocalNetworkFixture fixture = LocalNetworkFixture.create(dir, 7, 0, List.of(CHANNEL), RaftOptions.defaults(), batch);
    // Sign before the orderers start: signing saturates the CPU and would disturb their elections.
    SigningIdentity user = fixture.user("Org1", "User1");
    int poolSize = Integer.parseInt(a.getOrDefault("pool", "250000"));
    REUSE_POOL = "1".equals(a.get("reuse"));
    if (REUSE_POOL && poolSize <= 100_000) {
      throw new IllegalArgumentException("reuse=1 needs pool= above the orderers' txId window of 100000");
    }
    System.out.printf("signing %d envelopes of %d payload bytes (each txId is used once)...%n", poolSize, payload);
    List<Envelope> pool = java.util.stream.IntStream.range(0, poolSize).parallel().mapToObj(i -> tx(user, payload)).toList();
    Process[] orderers = new Process[8];
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process p : orderers) {
        if (p != null) {
          p.destroyForcibly();
        }
      }
    }));
    for (int id = 1; id <= 7; id++) {
      orderers[id] = launch(fixture, dir, id, heap, election);
    }
    System.out.printf("7 orderer processes started (logs in %s)%n", dir.resolve("logs"));
    try {
      // Seven JVMs starting on a loaded 2-core box can take minutes (class loading, TLS, JIT).
      int leader = awaitLeader(fixture, orderers, 0, 300_000);
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
      NodeStatus startStatus = status(fixture, follower);
      long startHeight = startStatus.height();
      Duration startCpu = cpu(orderers);
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long measuredAcked = acked.get() - startAcked;
      double elapsed = (System.nanoTime() - start) / 1e9;
      NodeStatus endStatus = status(fixture, follower);
      long endHeight = endStatus.height();
      Duration usedCpu = cpu(orderers).minus(startCpu);
      Histogram h = latency.getIntervalHistogram();
      stop.set(true);
      for (Thread t : senders) {
        t.join(30_000);
      }
      System.out.printf("THROUGHPUT: %.0f tx/s ordered (%d acknowledged in %.1f s, %d not SUCCESS), %d blocks (%.0f tx/block)%n",
          measuredAcked / elapsed, measuredAcked, elapsed, failed.get() - startFailed, endHeight - startHeight,
          endHeight == startHeight ? 0.0 : (double) measuredAcked / (endHeight - startHeight));
      // CPU time is what the load of other processes on the box does not change much: it says
      // what the same code would order with the machine's cores to itself.
      double cpuPerTx = measuredAcked == 0 ? 0.0 : usedCpu.toNanos() / 1e6 / measuredAcked;
      System.out.printf("CPU: the 7 orderer processes used %.1f CPU-s in %.1f s (%.2f cores), %.3f CPU-ms per ordered tx"
              + " -> ~%.0f tx/s if they had %d cores to themselves%n", usedCpu.toNanos() / 1e9, elapsed,
          usedCpu.toNanos() / 1e9 / elapsed, cpuPerTx, cpuPerTx == 0 ? 0.0 : Runtime.getRuntime().availableProcessors() * 1000 / cpuPerTx,
          Runtime.getRuntime().availableProcessors());
      FAILURES.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().get(), x.getValue().get())).limit(5)
          .forEach(e -> System.out.printf("NOT ACKED: %d x %s%n", e.getValue().get(), e.getKey()));
      System.out.printf("RAFT: term %d -> %d during the measurement (each step is an election; CPU starvation delays"
          + " heartbeats past the election timeout)%n", startStatus.term(), endStatus.term());
      System.out.printf("LATENCY submit->ack (committed): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
      clients.forEach(OrdererClient::close);

      // Failover: moderate load through a follower, SIGKILL the leader process.
      failover(fixture, orderers, user, payload, failoverRate);
    } finally {
      // SIGTERM first: a graceful stop lets -XX:StartFlightRecording recordings be written.
      for (int id = 1; id <= 7; id++) {
        if (orderers[id] != null) {
          orderers[id].destroy();
        }
      }
      for (int id = 1; id <= 7; id++) {
        if (orderers[id] != null && !orderers[id].waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          orderers[id].destroyForcibly();
        }
      }
      // Ledgers and Raft logs grow by ~100 MB/s at full speed (7 nodes x 2 copies); keep only the logs.
      removeData(dir);
    }
    System.exit(0);
  }

  /** Removes the orderers' data under a bench directory (ledgers, Raft logs), keeping their logs. */
  static void removeData(Path dir) {
    try {
      io.raftswarm.common.files.FileTrees.deleteRecursively(dir.resolve("data"));
      System.out.printf("orderer data removed; logs kept in %s%n", dir.resolve("logs"));
    } catch (java.io.IOException e) {
      System.out.printf("could not remove %s: %s%n", dir.resolve("data"), e.getMessage());
    }
  }


  private static void send(OrdererClient client, List<Envelope> pool, AtomicLong next, int window, AtomicBoolean stop,
      Recorder latency, AtomicLong acked, AtomicLong failed) {
    Semaphore permits = new Semaphore(window);
    try (OrdererClient.BroadcastStream stream = client.broadcastStream()) {
      while (!stop.get()) {
        permits.acquire();
        long i = next.getAndIncrement();
        if (REUSE_POOL) {
          i %= pool.size();
        }
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
            String why = err != null ? err.getClass().getSimpleName() : r.getStatus() + ": " + r.getInfo();
            FAILURES.computeIfAbsent(why.length() > 160 ? why.substring(0, 160) : why, k -> new AtomicLong()).incrementAndGet();
          }
        });
      }
      permits.acquire(window);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void failover(LocalNetworkFixture fixture, Process[] orderers, SigningIdentity user, int payload, int rate)
      throws Exception {
    int leader = awaitLeader(fixture, orderers, 0, 30_000);
    int via = leader % 7 + 1;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong firstReject = new AtomicLong();
    AtomicLong lastReject = new AtomicLong();
    AtomicLong rejects = new AtomicLong();
    AtomicLong acks = new AtomicLong();
    /** Rejection reason -> {count, first nanoTime, last nanoTime}. */
    Map<String, long[]> reasons = new java.util.concurrent.ConcurrentHashMap<>();
    // Signed ahead: signing in the loop would steal CPU from the orderers during the failover.
    List<Envelope> envelopes = java.util.stream.IntStream.range(0, rate * 12).parallel().mapToObj(i -> tx(user, payload)).toList();
    OrdererClient client = new OrdererClient(fixture.orderer(via).endpoint(), fixture.clientTls("Org1"));
    long periodNanos = 1_000_000_000L / rate;
    Thread load = new Thread(() -> {
      int window = Math.max(50, rate);
      Semaphore permits = new Semaphore(window);
      try (OrdererClient.BroadcastStream stream = client.broadcastStream()) {
        long due = System.nanoTime();
        for (Envelope e : envelopes) {
          if (stop.get()) {
            break;
          }
          permits.acquire();
          stream.send(e).whenComplete((r, err) -> {
            permits.release();
            if (err != null || r.getStatus() != Status.SUCCESS) {
              long now = System.nanoTime();
              rejects.incrementAndGet();
              firstReject.compareAndSet(0, now);
              lastReject.set(now);
              String why = err != null ? err.getClass().getSimpleName() : r.getStatus() + ": " + r.getInfo();
              String key = why.length() > 140 ? why.substring(0, 140) : why;
              synchronized (reasons) {
                long[] seen = reasons.computeIfAbsent(key, k -> new long[3]);
                seen[0]++;
                seen[1] = seen[1] == 0 ? now : seen[1];
                seen[2] = now;
              }
            } else {
              acks.incrementAndGet();
            }
          });
          due += periodNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        // Every answer is in (or 20 s passed) before the stream closes.
        permits.tryAcquire(window, 20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-failover-load");
    load.start();
    Thread.sleep(2000);
    NodeStatus before = status(fixture, via);
    long kill = System.nanoTime();
    orderers[leader].destroyForcibly();
    orderers[leader] = null;
    long elected = 0;
    int newLeader = 0;
    long nextBlock = 0;
    while (System.nanoTime() - kill < 30_000_000_000L && (elected == 0 || nextBlock == 0)) {
      NodeStatus now = status(fixture, via);
      if (elected == 0 && now.leaderId() != 0 && now.leaderId() != leader) {
        elected = System.nanoTime();
        newLeader = now.leaderId();
      }
      // height + 1: a block already committed by the old leader may still be applied after the kill.
      if (nextBlock == 0 && now.height() > before.height() + 1) {
        nextBlock = System.nanoTime();
      }
      Thread.sleep(5);
    }
    Thread.sleep(3000);
    stop.set(true);
    // The load thread waits for its in-flight answers before it ends; closing earlier would count them as rejections.
    load.join(30_000);
    client.close();
    System.out.printf("FAILOVER: SIGKILLed leader %d (term %d) at height %d; follower %d knew new leader %d %.0f ms after the kill; "
            + "next block committed there %.0f ms after the kill%n", leader, before.term(), before.height(), via, newLeader,
        elected == 0 ? -1.0 : (elected - kill) / 1e6, nextBlock == 0 ? -1.0 : (nextBlock - kill) / 1e6);
    System.out.printf("FAILOVER: client at %d tx/s saw %d rejections over a window of %.0f ms (first %.0f ms after the kill),"
            + " %d acknowledged%n", rate, rejects.get(), rejects.get() == 0 ? 0.0 : (lastReject.get() - firstReject.get()) / 1e6,
        rejects.get() == 0 ? 0.0 : (firstReject.get() - kill) / 1e6, acks.get());
    synchronized (reasons) {
      reasons.forEach((why, seen) -> System.out.printf("FAILOVER: %d x [%.0f..%.0f ms after the kill] %s%n", seen[0],
          (seen[1] - kill) / 1e6, (seen[2] - kill) / 1e6, why));
    }
  }

  private static int awaitLeader(LocalNetworkFixture fixture, Process[] orderers, int not, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      for (int id = 1; id <= 7; id++) {
        if (orderers[id] != null && !orderers[id].isAlive()) {
          throw new IllegalStateException("orderer " + id + " exited with " + orderers[id].exitValue() + "; see its log");
        }
        if (id != not && orderers[id] != null && "LEADER".equals(status(fixture, id).role())) {
          return id;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no leader within " + timeoutMillis + " ms");
  }

  /** CPU time used so far by the running orderer processes. */
  private static Duration cpu(Process[] orderers) {
    Duration total = Duration.ZERO;
    for (Process p : orderers) {
      if (p != null) {
        total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
      }
    }
    return total;
  }

  /** The orderer's /status for the bench channel; an unreachable orderer reads as a follower without leader. */
  static NodeStatus status(LocalNetworkFixture fixture, int id) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + fixture.orderer(id).operationsPort() + "/status"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      var channel = StatusJson.readOrderer(r.body()).channel(CHANNEL);
      if (channel.isPresent()) {
        var c = channel.get();
        return new NodeStatus(c.role(), c.leaderId(), c.term(), c.height());
      }
    } catch (java.io.IOException e) {
      // not up (yet) or killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new NodeStatus("UNREACHABLE", 0, 0, 0);
  }

  static Envelope tx(SigningIdentity user, int payload) {
    byte[] data = new byte[payload];
    ThreadLocalRandom.current().nextBytes(data);
    return Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL, ByteString.copyFrom(data), user);
  }

  /** Starts orderer {@code id} as its own JVM on this JVM's class path, configured like a container (ORDERER_*). */
  static Process launch(LocalNetworkFixture fixture, Path dir, int id, String heap, String[] election)
      throws java.io.IOException {
    var node = fixture.orderer(id);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    // e.g. BENCH_ORDERER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/orderer.jfr" to profile the orderers;
    // options that pick a collector replace the bench's default one (the JVM refuses two).
    String extra = System.getenv("BENCH_ORDERER_JAVA_OPTS");
    boolean ownGc = extra != null && extra.matches(".*-XX:\\+Use\\w+GC.*");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", "")));
    if (!ownGc) {
      command.add(1, "-XX:+UseParallelGC");
    }
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().replace("%id", Integer.toString(id)).split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), OrdererMain.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve(node.name() + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.putAll(fixture.ordererEnvironment(id, dir.resolve("data").resolve(node.name())));
    if (election != null) {
      env.put("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN", election[0]);
      env.put("ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX", election[1]);
    }
    return pb.start();
  }

  private OrdererBench() {}
}
