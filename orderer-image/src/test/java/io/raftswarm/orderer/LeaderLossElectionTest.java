package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.raft.LeaderLossElection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower whose connection to the leader breaks (the leader's process died) starts an
 * election at once instead of waiting out the election timeout; a leader that stops on purpose
 * does not set that off. The election timeout here is 10-20 s, so a new leader well within 10 s
 * of the crash can only come from the broken connection — the test fails if it is not noticed.
 */
class LeaderLossElectionTest {
  private static final String CH = "mychannel";
  private static final String METRIC = "consensus_raft_leader_loss_elections{channel=\"" + CH + "\"}";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void when_the_leader_process_dies_then_a_follower_campaigns_before_the_election_timeout() throws Exception {
    try (TestCluster cluster = slowElections(3)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(90)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      cluster.sendAll(CH, leader == 1 ? 2 : 1, 5);

      cluster.kill(leader);

      await().atMost(Duration.ofSeconds(8)).until(() -> cluster.agreedLeader(CH) > 0);
      int successor = cluster.agreedLeader(CH);
      assertThat(successor).isNotEqualTo(leader);
      long campaigns = 0;
      for (int id = 1; id <= 3; id++) {
        if (cluster.running(id)) {
          campaigns += leaderLossElections(cluster, id);
        }
      }
      assertThat(campaigns).as("elections started on the broken connection").isGreaterThanOrEqualTo(1);
      // and the cluster orders again under its new leader
      cluster.sendAll(CH, successor, 5);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void when_the_leader_stops_gracefully_then_no_follower_takes_it_for_a_crash() throws Exception {
    try (TestCluster cluster = slowElections(3)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(90)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      cluster.sendAll(CH, leader == 1 ? 2 : 1, 5);

      cluster.stop(leader);

      // the hand-off elects the successor at once; the watchers saw their streams end with OK
      await().atMost(Duration.ofSeconds(8)).until(() -> cluster.agreedLeader(CH) > 0);
      Thread.sleep(1500);
      for (int id = 1; id <= 3; id++) {
        if (cluster.running(id)) {
          assertThat(leaderLossElections(cluster, id)).as("leader-loss elections on orderer %d", id).isZero();
        }
      }
    }
  }

  /**
   * The later successors campaign on a timer (hundreds of milliseconds after the break); by then
   * the lost leader may lead again in a newer term (restarted, or handed leadership back), and a
   * campaign against it would be a needless election (seen in LeaderPlacementTest).
   */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void a_campaign_for_a_leader_lost_in_an_earlier_term_does_not_start_when_it_leads_again() throws Exception {
    try (TestCluster cluster = slowElections(3)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(90)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      int follower = leader % 3 + 1;
      cluster.sendAll(CH, follower, 5); // the follower holds entries of the leader's term
      Chain chain = cluster.orderer(follower).chain(CH).orElseThrow();
      long term = chain.term();

      assertThat(chain.electAfterLeaderLoss(leader, term - 1, "test: lost in the term before"))
          .isEqualTo(LeaderLossElection.Outcome.LEADER_ALREADY_CHANGED);
      assertThat(chain.term()).as("the follower's term").isEqualTo(term);
      assertThat(cluster.agreedLeader(CH)).isEqualTo(leader);

      // the same call for the term the leader leads in does start one
      assertThat(chain.electAfterLeaderLoss(leader, term, "test: lost in this term"))
          .isEqualTo(LeaderLossElection.Outcome.STARTED);
      await().atMost(Duration.ofSeconds(30)).until(() -> chain.term() > term);
    }
  }

  private TestCluster slowElections(int size) {
    TestCluster cluster = new TestCluster(dir, size, List.of(CH), TestCluster.testBatch(), 1024);
    for (int id = 1; id <= size; id++) {
      cluster.env(id, "ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN", "10s").env(id, "ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX", "20s");
    }
    return cluster;
  }

  private static long leaderLossElections(TestCluster cluster, int id) throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cluster.orderer(id).operationsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return metrics.body().lines().filter(l -> l.startsWith(METRIC)).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0L);
  }
}
