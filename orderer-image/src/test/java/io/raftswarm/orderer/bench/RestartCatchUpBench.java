package io.raftswarm.orderer.bench;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.testing.LocalNetworkFixture;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;

/**
 * Benchmark (not a test): how fast an orderer comes back. Three orderers as separate JVM processes
 * ({@link io.raftswarm.orderer.OrdererMain}, TLS, fsync) on loopback. One follower is stopped, a
 * long chain is ordered without it, then it is started again: prints the time from process start
 * to {@code /healthz} 200, to its first new block, and until it holds the leader's height, and
 * the catch-up rate in blocks/s. Then the other follower, fully current with the same long ledger,
 * is restarted to show the restart time of a node with nothing to catch up. The Raft term before
 * and after each restart shows whether a rejoining node cost an election. Run with
 * scripts/bench-restart.
 *
 * <p>Arguments (all optional): txs=120000 (ordered while the follower is down) maxMessageCount=10
 * (so txs/maxMessageCount blocks) payload=1024 heap=384m. Snapshots every 1,024 entries (derived from the
 * channel's SnapshotIntervalSize), so a long absence is caught up by pulling blocks, not from the Raft log.
 */
public final class RestartCatchUpBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BenchArgs.parse(args,
        "usage: scripts/bench-restart [txs=120000] [maxMessageCount=10] [payload=1024] [heap=384m]");
    int txs = Integer.parseInt(a.getOrDefault("txs", "120000"));
    int perBlock = Integer.parseInt(a.getOrDefault("maxMessageCount", "10"));
    int payload = Integer.parseInt(a.getOrDefault("payload", "1024"));
    String heap = a.getOrDefault("heap", "384m");
    BatchSettings batch = new BatchSettings(Duration.ofMillis(200), perBlock, 10 * 1024 * 1024, 2 * 1024 * 1024);

    Path dir = Files.createTempDirectory("restart-bench");
    LocalNetworkFixture fixture = LocalNetworkFixture.create(dir, 3, 0, List.of(OrdererBench.CHANNEL), RaftOptions.defaults(), batch);
    SigningIdentity user = fixture.user("Org1", "User1");
    System.out.printf("signing %d envelopes of %d payload bytes...%n", txs, payload);
    List<Envelope> pool = java.util.stream.IntStream.range(0, txs).parallel().mapToObj(i -> OrdererBench.tx(user, payload)).toList();
    Process[] orderers = new Process[4];
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process p : orderers) {
        if (p != null) {
          p.destroyForcibly();
          try {
            p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      // ~800 MB of ledgers and Raft logs per run (runs used to leave them behind and filled a disk)
      OrdererBench.removeData(dir);
    }));
    for (int id = 1; id <= 3; id++) {
      orderers[id] = OrdererBench.launch(fixture, dir, id, heap, null);
    }
    System.out.printf("3 orderer processes started (logs in %s)%n", dir.resolve("logs"));
    int leader = awaitLeader(fixture, orderers, dir, 300_000);
    int lagger = leader % 3 + 1;
    int current = 6 - leader - lagger; // the third of ids 1..3
    send(fixture, leader, pool.subList(0, Math.min(1000, pool.size())));
    awaitHeight(fixture, lagger, OrdererBench.status(fixture, leader).height(), 60_000);

    orderers[lagger].destroy();
    orderers[lagger].waitFor();
    long heightAtStop = OrdererBench.status(fixture, leader).height();
    long t0 = System.nanoTime();
    send(fixture, leader, pool.subList(Math.min(1000, pool.size()), pool.size()));
    double built = seconds(t0);
    long target = OrdererBench.status(fixture, leader).height();
    System.out.printf("ordered %d blocks (%d txs) in %.1f s while orderer %d was down (%.0f blocks/s)%n",
        target - heightAtStop, pool.size() - Math.min(1000, pool.size()), built, lagger, (target - heightAtStop) / built);

    long termBefore = OrdererBench.status(fixture, leader).term();
    restart(fixture, dir, orderers, lagger, heap, heightAtStop, target, "lagging " + (target - heightAtStop) + " blocks");
    restart(fixture, dir, orderers, current, heap, target, OrdererBench.status(fixture, leader).height(),
        "current, ledger of " + target + " blocks");
    long termAfter = OrdererBench.status(fixture, awaitLeader(fixture, orderers, dir, 30_000)).term();
    System.out.printf("Raft term before the restarts %d, after %d (%s)%n", termBefore, termAfter,
        termBefore == termAfter ? "no election" : (termAfter - termBefore) + " election(s)");
    for (Process p : orderers) {
      if (p != null) {
        p.destroy();
      }
    }
    // Let them stop cleanly (a JFR recording given in BENCH_ORDERER_JAVA_OPTS is written on exit).
    for (Process p : orderers) {
      if (p != null) {
        p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  private static void restart(LocalNetworkFixture fixture, Path dir, Process[] orderers, int id, String heap,
      long heightBefore, long target, String what) throws Exception {
    if (orderers[id].isAlive()) {
      orderers[id].destroy();
      orderers[id].waitFor();
    }
    long t0 = System.nanoTime();
    orderers[id] = OrdererBench.launch(fixture, dir, id, heap, null);
    double healthy = -1;
    double firstBlock = -1;
    double caughtUp;
    while (true) {
      if (!orderers[id].isAlive()) {
        throw new IllegalStateException("orderer " + id + " exited with " + orderers[id].exitValue() + "; see its log");
      }
      if (healthy < 0 && healthz(fixture, id)) {
        healthy = seconds(t0);
      }
      long height = OrdererBench.status(fixture, id).height();
      if (firstBlock < 0 && height > heightBefore) {
        firstBlock = seconds(t0);
      }
      if (healthy >= 0 && height >= target) {
        caughtUp = seconds(t0);
        break;
      }
      if (seconds(t0) > 600) {
        throw new IllegalStateException("orderer " + id + " not caught up after 600 s (height " + height + " of " + target + ")");
      }
      Thread.sleep(20);
    }
    System.out.printf("restart of orderer %d (%s): /healthz 200 after %.2f s, first new block %s, leader's height %d after %.2f s%s%n",
        id, what, healthy, firstBlock < 0 ? "-" : String.format("after %.2f s", firstBlock), target, caughtUp,
        target > heightBefore && firstBlock >= 0
            ? String.format(" -> catch-up %.0f blocks/s", (target - heightBefore) / Math.max(0.001, caughtUp - firstBlock))
            : "");
  }

  private static void send(LocalNetworkFixture fixture, int via, List<Envelope> txs) throws Exception {
    int streams = 4;
    int chunk = 2000;
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int s = 0; s < streams; s++) {
      Thread t = new Thread(() -> {
        try (OrdererClient client = new OrdererClient(fixture.orderer(via).endpoint(), fixture.clientTls("Org1"))) {
          for (int from = next.getAndAdd(chunk); from < txs.size(); from = next.getAndAdd(chunk)) {
            var responses = client.broadcast(txs.subList(from, Math.min(txs.size(), from + chunk)), 300);
            if (responses.stream().anyMatch(r -> r.getStatus() != Status.SUCCESS)) {
              throw new IllegalStateException("not every transaction was ordered: " + responses.stream()
                  .filter(r -> r.getStatus() != Status.SUCCESS).findFirst().orElseThrow());
            }
          }
        } catch (Exception e) {
          failures.add(e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  /** Fails at once when an orderer process has exited (a bad BENCH_ORDERER_JAVA_OPTS, say): no leader can come then. */
  private static int awaitLeader(LocalNetworkFixture fixture, Process[] orderers, Path dir, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      for (int id = 1; id <= 3; id++) {
        if (orderers[id] != null && !orderers[id].isAlive()) {
          throw new IllegalStateException("orderer " + id + " exited with " + orderers[id].exitValue()
              + " while waiting for a leader; see its log in " + dir.resolve("logs"));
        }
        if ("LEADER".equals(OrdererBench.status(fixture, id).role())) {
          return id;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no leader within " + timeoutMillis + " ms");
  }

  private static void awaitHeight(LocalNetworkFixture fixture, int id, long height, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (OrdererBench.status(fixture, id).height() < height) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("orderer " + id + " did not reach height " + height);
      }
      Thread.sleep(50);
    }
  }

  private static boolean healthz(LocalNetworkFixture fixture, int id) {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + fixture.orderer(id).operationsPort() + "/healthz")).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private RestartCatchUpBench() {}
}
