package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three orderers: a stopped follower misses blocks and catches up after restart. */
class FollowerRestartTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void when_a_stopped_follower_restarts_then_it_catches_up() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 10)) {
      var pair = cluster.startWithFollowerInSync("mychannel", 10);
      int leader = pair.leader();
      int follower = pair.follower();
      cluster.stop(follower);
      cluster.sendAll("mychannel", leader, 40);
      cluster.start(follower);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(follower, "mychannel")).isEqualTo(cluster.hashes(leader, "mychannel")));
    }
  }

  /**
   * Blocks are applied without an fsync each (the Raft log holds them durably): a machine that
   * loses power may come back with a ledger missing its last blocks. Modelled by cutting a
   * crashed follower's ledger back to its genesis block (no snapshot was taken, so the Raft log
   * still holds everything).
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void when_a_crashed_follower_lost_its_unsynced_ledger_tail_then_its_raft_log_restores_it() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 1_000_000)) {
      var pair = cluster.startWithFollowerInSync("mychannel", 30);
      int leader = pair.leader();
      int follower = pair.follower();
      List<String> before = cluster.hashes(leader, "mychannel");
      assertThat(before).hasSizeGreaterThan(3);
      cluster.kill(follower);
      Path ledger = dir.resolve("data").resolve(cluster.fixture.orderer(follower).name())
          .resolve("chains").resolve("mychannel").resolve("blockfile_000000");
      keepOnlyTheFirstBlock(ledger);

      cluster.start(follower);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(follower, "mychannel")).isEqualTo(cluster.hashes(leader, "mychannel")));
      assertThat(cluster.hashes(follower, "mychannel")).startsWith(before.toArray(String[]::new));
    }
  }

  /** Truncates a ledger file ({@code [int32 length][int32 crc][block]} frames) after its first frame. */
  private static void keepOnlyTheFirstBlock(Path file) throws java.io.IOException {
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      var header = java.nio.ByteBuffer.allocate(4);
      channel.read(header, 0);
      long firstFrameEnd = 8 + header.flip().getInt();
      assertThat(channel.size()).isGreaterThan(firstFrameEnd);
      channel.truncate(firstFrameEnd);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void when_a_stopped_leader_restarts_then_it_catches_up() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel"), TestCluster.testBatch(), 10)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("mychannel") > 0);
      int leader = cluster.agreedLeader("mychannel");
      cluster.sendAll("mychannel", leader, 10);
      cluster.stop(leader);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("mychannel") > 0);
      int next = cluster.agreedLeader("mychannel");
      cluster.sendAll("mychannel", next, 40);
      cluster.start(leader);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(leader, "mychannel")).isEqualTo(cluster.hashes(next, "mychannel")));
    }
  }

}
