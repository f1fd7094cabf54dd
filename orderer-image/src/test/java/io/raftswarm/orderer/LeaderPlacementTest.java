package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orderers given a placement (ORDERER_CONSENSUS_PLACEMENTFILE) keep the leader on the machine
 * that runs most consenters: it is elected there at start, a dead leader's successor is its
 * neighbour there, a stopping leader hands off to it, and orderers elsewhere that started first
 * wait for it. Orderers 2 and 4 share machine "big";
 * 1, 3 and 5 run alone. Without the placement, the successor of a dead orderer 2 would be
 * orderer 3 (the next id), and of orderer 4 orderer 5, so each step fails without it.
 */
class LeaderPlacementTest {
  private static final String CH = "mychannel";
  private static final Set<Integer> BIG = Set.of(2, 4);

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void the_leader_stays_on_the_machine_running_most_consenters() throws Exception {
    try (TestCluster cluster = placed(new TestCluster(dir, 5, List.of(CH), TestCluster.testBatch(), 1024))) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.agreedLeader(CH) > 0);
      int first = cluster.agreedLeader(CH);
      assertThat(first).as("the first leader").isIn(BIG);
      cluster.sendAll(CH, first, 5);

      cluster.kill(first);

      int neighbour = first == 2 ? 4 : 2;
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      assertThat(cluster.agreedLeader(CH)).as("the successor of a dead leader").isEqualTo(neighbour);

      cluster.start(first);
      cluster.sendAll(CH, neighbour, 5);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.height(first, CH) == cluster.height(neighbour, CH));

      cluster.stop(neighbour);

      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      assertThat(cluster.agreedLeader(CH)).as("the follower a stopping leader handed off to").isEqualTo(first);
    }
  }

  /**
   * The hosts' orderers start seconds apart. Here the three lone ones, a majority, start first;
   * with only their election timeout they would elect one of themselves long before 2 and 4 are up.
   */
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void orderers_started_first_elsewhere_leave_the_first_election_to_the_preferred_ones() throws Exception {
    try (TestCluster cluster = placed(new TestCluster(dir, 5, List.of(CH), TestCluster.testBatch(), 1024))) {
      for (int id : List.of(1, 3, 5)) {
        cluster.start(id);
      }
      Thread.sleep(3000);
      assertThat(cluster.agreedLeader(CH)).as("a leader among the three started first").isZero();
      cluster.start(2);
      cluster.start(4);

      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.agreedLeader(CH) > 0);
      assertThat(cluster.agreedLeader(CH)).as("the first leader").isIn(BIG);
    }
  }

  /** The cluster with a placement file: 2 and 4 on machine "big", the others alone. */
  private TestCluster placed(TestCluster cluster) throws Exception {
    StringBuilder placement = new StringBuilder();
    for (int id = 1; id <= cluster.size(); id++) {
      placement.append(cluster.fixture.orderer(id).clusterEndpoint()).append(' ')
          .append(BIG.contains(id) ? "big" : "small" + id).append('\n');
    }
    Path file = Files.writeString(dir.resolve("placement"), placement);
    for (int id = 1; id <= cluster.size(); id++) {
      cluster.env(id, "ORDERER_CONSENSUS_PLACEMENTFILE", file.toString());
    }
    return cluster;
  }
}
