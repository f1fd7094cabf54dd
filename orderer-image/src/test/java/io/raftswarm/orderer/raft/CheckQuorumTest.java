package io.raftswarm.orderer.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.apache.ratis.proto.RaftProtos.LeaderInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/** When a leader of seven (a 2-host lab's 4 + 3, a 3-host lab's 3 + 2 + 2) has lost its quorum. */
class CheckQuorumTest {
  private static final Set<String> SEVEN = Set.of("o1", "o2", "o3", "o4", "o5", "o6", "o7");
  private static final long WINDOW = 1200;

  /** Leader o1 for {@code ledMillis}; {@code elapsed[i]} is follower o(i+2)'s silence. */
  private static RoleInfoProto leader(long ledMillis, long... elapsed) {
    LeaderInfoProto.Builder info = LeaderInfoProto.newBuilder();
    for (int i = 0; i < elapsed.length; i++) {
      info.addFollowerInfo(ServerRpcProto.newBuilder()
          .setId(RaftPeerProto.newBuilder().setId(ByteString.copyFromUtf8("o" + (i + 2))))
          .setLastRpcElapsedTimeMs(elapsed[i]));
    }
    return RoleInfoProto.newBuilder().setRoleElapsedTimeMs(ledMillis).setLeaderInfo(info).build();
  }

  @Test
  void a_leader_that_hears_only_its_own_host_has_lost_the_quorum() {
    // Cut off with one follower (3-host lab): 2 of 7 active.
    assertTrue(CheckQuorum.lost(leader(60_000, 80, 4_800, 4_800, 4_800, 4_800, 4_800), SEVEN, "o1", WINDOW));
    // Cut off with two (2-host lab's minority): 3 of 7.
    assertTrue(CheckQuorum.lost(leader(60_000, 80, 90, 4_800, 4_800, 4_800, 4_800), SEVEN, "o1", WINDOW));
  }

  @Test
  void a_leader_with_a_majority_answering_keeps_leading() {
    // 4 of 7: the leader and three followers within the window.
    assertFalse(CheckQuorum.lost(leader(60_000, 80, 90, WINDOW, 4_800, 4_800, 4_800), SEVEN, "o1", WINDOW));
    assertFalse(CheckQuorum.lost(leader(60_000, 10, 10, 10, 10, 10, 10), SEVEN, "o1", WINDOW));
  }

  @Test
  void followers_slower_than_the_election_timeout_but_answering_keep_the_leader() {
    // The lab's warm-up: followers busy with the first large blocks answered 1.2-2 s apart.
    long window = CheckQuorum.window(Duration.ofMillis(1200)).toMillis();
    assertEquals(2400, window);
    assertFalse(CheckQuorum.lost(leader(60_000, 80, 1_300, 1_700, 2_100, 2_300, 2_300), SEVEN, "o1", window));
    // A leader cut off for longer than that steps down.
    assertTrue(CheckQuorum.lost(leader(60_000, 80, 90, 2_500, 2_500, 2_500, 2_500), SEVEN, "o1", window));
  }

  @Test
  void a_new_leader_gets_one_window_before_it_is_judged() {
    // Followers' response times start "fake" at election (Ratis' comment in its own check).
    assertFalse(CheckQuorum.lost(leader(WINDOW - 1, 9_999, 9_999, 9_999, 9_999, 9_999, 9_999), SEVEN, "o1", WINDOW));
    assertTrue(CheckQuorum.lost(leader(WINDOW, 9_999, 9_999, 9_999, 9_999, 9_999, 9_999), SEVEN, "o1", WINDOW));
  }

  @Test
  void only_voters_of_the_current_configuration_count() {
    // o5..o7 answer but are not voters any more (a configuration of o1..o4): 1 of 4 active.
    Set<String> four = Set.of("o1", "o2", "o3", "o4");
    assertTrue(CheckQuorum.lost(leader(60_000, 4_800, 4_800, 4_800, 10, 10, 10), four, "o1", WINDOW));
    // A node not in the configuration judges nothing.
    assertFalse(CheckQuorum.lost(leader(60_000, 4_800, 4_800, 4_800), Set.of("o2", "o3", "o4"), "o1", WINDOW));
  }

  @Test
  void a_follower_is_not_judged() {
    assertFalse(CheckQuorum.lost(RoleInfoProto.newBuilder().setRoleElapsedTimeMs(60_000).build(), SEVEN, "o1", WINDOW));
  }

  @Test
  void answered_counts_voting_followers_within_the_window() {
    assertEquals(2, CheckQuorum.answered(leader(60_000, 80, WINDOW, 4_800), SEVEN, "o1", WINDOW));
  }
}
