package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.chain.Chain;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratis 3.3.0 wedged a follower's log on the lab after partitions: its guard against concurrent
 * appends ({@code RaftLogSequentialOps.Runner}) kept naming a thread that had left, so every append
 * failed. Here the guard is set to a finished thread by hand; the orderer must notice (its leader
 * reaches it and commits entries the log lacks) and restart the Raft node.
 */
class StuckRaftLogTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void when_a_followers_raft_log_takes_no_entries_then_the_orderer_restarts_its_raft_node() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 1_000_000)) {
      var pair = cluster.startWithFollowerInSync("mychannel", 10);
      int leader = pair.leader();
      int follower = pair.follower();

      Thread gone = new Thread(() -> {});
      gone.start();
      gone.join();
      wedge(cluster.orderer(follower).chain("mychannel").orElseThrow(), gone);
      long wedgedAt = cluster.height(follower, "mychannel");
      cluster.sendAll("mychannel", leader, 20);
      assertThat(cluster.height(follower, "mychannel")).as("the wedged follower takes no block").isEqualTo(wedgedAt);

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(cluster.hashes(follower, "mychannel")).isEqualTo(cluster.hashes(leader, "mychannel")));
    }
  }

  /** Sets the follower's Raft log guard to {@code owner}, as Ratis left it on the lab. */
  private static void wedge(Chain chain, Thread owner) throws Exception {
    RaftServer server = (RaftServer) field(Chain.class, "server").get(chain);
    Object log = server.getDivision(Chain.groupId("mychannel")).getRaftLog();
    Object runner = null;
    for (Class<?> c = log.getClass(); c != null && runner == null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType().getSimpleName().equals("Runner")) {
          f.setAccessible(true);
          runner = f.get(log);
        }
      }
    }
    assertThat(runner).as("Ratis' sequential-operations guard of the Raft log").isNotNull();
    @SuppressWarnings("unchecked")
    AtomicReference<Thread> current = (AtomicReference<Thread>) field(runner.getClass(), "runner").get(runner);
    assertThat(current.compareAndSet(null, owner)).as("the guard was free").isTrue();
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
