package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.raft.LogCacheEviction;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.AutoCloseableLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratis 3.3.0's {@code SegmentedRaftLog.close()} holds the log's write lock while it interrupts and
 * joins the cache-eviction thread; a thread waiting for that lock in {@code checkAndEvictCache()}
 * cannot be interrupted, so the close hangs for good. Here that state is built on purpose on a
 * follower's log: one thread holds the write lock, the eviction thread (its cache made to want an
 * eviction) waits for it, then {@link LogCacheEviction} stops the eviction thread and the lock
 * holder closes the log, as close() would. Without the stop, that close never returns.
 */
class RaftLogCloseTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_log_closes_while_its_cache_eviction_waits_for_the_lock_once_the_eviction_is_stopped_first() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 1_000_000)) {
      var pair = cluster.startWithFollowerInSync("mychannel", 10);
      RaftServer server = (RaftServer) field(Chain.class, "server").get(cluster.orderer(pair.follower()).chain("mychannel").orElseThrow());
      RaftLog log = server.getDivision(Chain.groupId("mychannel")).getRaftLog();
      Object cache = field(log.getClass(), "cache").get(log);
      field(cache.getClass(), "maxSegmentCacheSize").setLong(cache, 0); // any cached entry is now worth evicting
      Object eviction = field(log.getClass(), "cacheEviction").get(log);
      Thread evictor = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals(eviction + "")).findFirst().orElseThrow();

      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch close = new CountDownLatch(1);
      AtomicReference<Throwable> closeFailure = new AtomicReference<>();
      Thread closer = new Thread(() -> {
        try (AutoCloseableLock held = acquire(log)) {
          locked.countDown();
          close.await();
          log.close(); // what close() does while it holds the lock: interrupt and join the eviction thread
        } catch (Throwable e) {
          closeFailure.set(e);
        }
      }, "closer");
      closer.setDaemon(true); // if the close hangs after all, the test fails and this thread is left behind
      closer.start();
      locked.await();
      eviction.getClass().getMethod("signal").invoke(eviction);
      await().atMost(Duration.ofSeconds(30)).until(() -> evictor.getState() == Thread.State.WAITING
          && Arrays.stream(evictor.getStackTrace()).anyMatch(f -> f.getMethodName().equals("checkAndEvictCache")));

      CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> LogCacheEviction.stopBeforeCloseOf(log));
      await().atMost(Duration.ofSeconds(30)).until(() -> daemonOf(eviction) == null);
      close.countDown();

      closer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(closer.isAlive()).as("the close returned").isFalse();
      assertThat(closeFailure.get()).isNull();
      assertThat(stopped.get(30, TimeUnit.SECONDS)).as("there was an eviction thread to stop").isTrue();
      assertThat(evictor.isAlive()).isFalse();
    }
  }

  private static AutoCloseableLock acquire(RaftLog log) throws Exception {
    return (AutoCloseableLock) log.getClass().getMethod("writeLock").invoke(log);
  }

  private static Object daemonOf(Object eviction) throws Exception {
    return ((AtomicReference<?>) field(eviction.getClass(), "daemon").get(eviction)).get();
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(type.getName() + "." + name);
  }
}
