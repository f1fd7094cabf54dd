package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.orderer.config.ConsenterPlacement;
import io.raftswarm.orderer.raft.LeaderSilence;
import io.raftswarm.orderer.raft.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At start-up the preferred leaders campaign one after another, a second apart in the order of
 * their consenter ids, and the others only after 20 s: orderers started together must not split
 * the first vote (which costs a term before any leader exists). Later the others still campaign
 * later on a silent leader.
 */
class FirstCampaignOrderTest {
  private static final String CH = "mychannel";

  @TempDir
  static Path dir;
  private static TestCluster cluster;
  private static ConsenterPlacement placement;

  @BeforeAll
  static void network() {
    cluster = new TestCluster(dir, 5, List.of(CH), TestCluster.testBatch(), 1024);
    StringBuilder text = new StringBuilder();
    for (int id = 1; id <= 5; id++) {
      // 2 and 4 share machine "big", 1, 3 and 5 run alone.
      text.append(cluster.fixture.orderer(id).clusterEndpoint()).append(id % 2 == 0 ? " big\n" : " small" + id + "\n");
    }
    placement = ConsenterPlacement.parse(text.toString(), "placement");
  }

  @Test
  void preferred_leaders_are_ranked_by_consenter_id_and_the_others_not_at_all() {
    assertThat(rank(2)).hasValue(0);
    assertThat(rank(4)).hasValue(1);
    assertThat(rank(1)).isEmpty();
    assertThat(rank(5)).isEmpty();
    assertThat(Orderer.preferredRank(ConsenterPlacement.none(), channels(), cluster.fixture.ordererTls(5).certificate()))
        .as("without a placement every consenter is preferred").hasValue(4);
  }

  @Test
  void each_rank_campaigns_a_second_after_the_one_before_and_the_rest_after_twenty_seconds() {
    // 600-1,200 ms: the channel's default election timeout (10 ticks of 100 ms) scaled by 0.6.
    assertThat(firstElection(RaftSettings.properties(cluster.config(1), channels(), OptionalInt.of(0)))).containsExactly(600L, 1200L);
    assertThat(firstElection(RaftSettings.properties(cluster.config(1), channels(), OptionalInt.of(1)))).containsExactly(1600L, 2200L);
    assertThat(firstElection(RaftSettings.properties(cluster.config(1), channels(), OptionalInt.of(3)))).containsExactly(3600L, 4200L);
    assertThat(firstElection(RaftSettings.properties(cluster.config(1), channels(), OptionalInt.of(30))))
        .as("late ranks share the last slot, still before the others").containsExactly(8600L, 9200L);
    assertThat(firstElection(RaftSettings.properties(cluster.config(1), channels(), OptionalInt.empty())))
        .as("not preferred: 20 s later").containsExactly(20600L, 21200L);
  }

  /**
   * After the first election the others campaign on a silent leader later than the preferred ones
   * (1.2-1.8 s instead of 0.6-1.8 s), while the orderer's own timers derive from one range everywhere.
   * A preferred leader's maximum is also how long Ratis lets it go without a majority's answer.
   */
  @Test
  void the_others_campaign_later_on_a_silent_leader() {
    RaftProperties preferred = RaftSettings.properties(cluster.config(1), channels(), OptionalInt.of(0));
    RaftProperties other = RaftSettings.properties(cluster.config(1), channels(), OptionalInt.empty());
    assertThat(millis(RaftServerConfigKeys.Rpc.timeoutMin(preferred))).isEqualTo(600L);
    assertThat(millis(RaftServerConfigKeys.Rpc.timeoutMax(preferred))).isEqualTo(1800L);
    assertThat(millis(RaftServerConfigKeys.Rpc.timeoutMin(other))).isEqualTo(1200L);
    assertThat(millis(RaftServerConfigKeys.Rpc.timeoutMax(other))).isEqualTo(1800L);
    assertThat(RaftSettings.electionTimeouts(cluster.config(1), channels()))
        .as("the orderer's own timers derive from one range on every orderer").containsExactly(Duration.ofMillis(600), Duration.ofMillis(1200));
  }

  /**
   * A follower takes a leader for cut off once its host left the follower's messages unacknowledged
   * for half the preferred minimum and the leader sent nothing in Raft for one and a half of its
   * heartbeat intervals (half its own minimum): a preferred leader's come twice as often.
   */
  @Test
  void a_cut_off_leader_is_judged_by_its_heartbeat_interval() {
    LeaderSilence silence = RaftSettings.leaderSilence(cluster.config(1), channels());
    assertThat(silence.unacknowledged()).isEqualTo(Duration.ofMillis(300));
    assertThat(silence.of(true)).isEqualTo(Duration.ofMillis(450));
    assertThat(silence.of(false)).isEqualTo(Duration.ofMillis(900));
    assertThat(silence.remainingMillis(true, 300)).isEqualTo(150);
    assertThat(silence.remainingMillis(true, 600)).isZero();
    assertThat(silence.remainingMillis(false, 600)).isEqualTo(300);
  }

  private static long millis(TimeDuration d) {
    return d.toLong(TimeUnit.MILLISECONDS);
  }

  private static OptionalInt rank(int id) {
    return Orderer.preferredRank(placement, channels(), cluster.fixture.ordererTls(id).certificate());
  }

  private static List<ChannelConfig> channels() {
    return List.of(cluster.fixture.channelConfig(CH));
  }

  /** Ratis' first-election range in ms; its timeout range when no first-election range is set. */
  private static long[] firstElection(RaftProperties p) {
    TimeDuration min = RaftServerConfigKeys.Rpc.firstElectionTimeoutMin(p);
    TimeDuration max = RaftServerConfigKeys.Rpc.firstElectionTimeoutMax(p);
    return new long[] {
        (min != null ? min : RaftServerConfigKeys.Rpc.timeoutMin(p)).toLong(TimeUnit.MILLISECONDS),
        (max != null ? max : RaftServerConfigKeys.Rpc.timeoutMax(p)).toLong(TimeUnit.MILLISECONDS)};
  }
}
