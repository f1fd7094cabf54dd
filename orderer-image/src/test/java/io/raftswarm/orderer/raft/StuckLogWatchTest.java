package io.raftswarm.orderer.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StuckLogWatchTest {
  private static final Duration GRACE = Duration.ofSeconds(12);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final StuckLogWatch watch = new StuckLogWatch(nanos::get);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void a_follower_in_touch_whose_log_stands_still_behind_the_commit_is_stuck_after_the_grace() {
    Duration inRole = Duration.ofMinutes(5);
    assertThat(watch.stuck(true, inRole, 100, 105, GRACE)).isFalse();
    for (int s = 1; s < 12; s++) {
      advance(Duration.ofSeconds(1));
      inRole = inRole.plusSeconds(1);
      assertThat(watch.stuck(true, inRole, 100, 105, GRACE)).as("after %d s", s).isFalse();
    }
    advance(Duration.ofSeconds(1));
    assertThat(watch.stuck(true, inRole.plusSeconds(1), 100, 105, GRACE)).isTrue();
    // and it starts over
    advance(Duration.ofSeconds(1));
    assertThat(watch.stuck(true, inRole.plusSeconds(2), 100, 105, GRACE)).isFalse();
  }

  @Test
  void a_log_that_moves_or_catches_up_with_the_commit_is_not_stuck() {
    for (int s = 0; s <= 20; s++) {
      assertThat(watch.stuck(true, Duration.ofMinutes(5), 100 + s, 200, GRACE)).isFalse();
      advance(Duration.ofSeconds(1));
    }
    for (int s = 0; s <= 20; s++) {
      assertThat(watch.stuck(true, Duration.ofMinutes(5), 300, 300, GRACE)).isFalse();
      advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void a_follower_that_keeps_campaigning_while_cut_off_is_not_stuck_when_the_leader_reaches_it_again() {
    // Cut off: rejected pre-votes, then a follower again for a moment, its RPC clock fresh each
    // time, so a once-a-second check often saw "following"; it never stays a follower for long.
    long last = 2771;
    long commit = 2772;
    for (int s = 0; s < 40; s++) {
      Duration inRole = Duration.ofMillis((s % 2) * 700 + 300);
      assertThat(watch.stuck(true, inRole, last, commit, GRACE)).as("during the cut, %d s", s).isFalse();
      advance(Duration.ofSeconds(1));
    }
    // the heal: the leader's first append arrives; the node follows it from now on
    assertThat(watch.stuck(true, Duration.ofMillis(200), last, commit, GRACE)).isFalse();
    advance(Duration.ofSeconds(1));
    assertThat(watch.stuck(true, Duration.ofMillis(1200), last, commit, GRACE)).isFalse();
  }

  @Test
  void a_node_that_is_not_following_is_never_stuck() {
    for (int s = 0; s <= 30; s++) {
      assertThat(watch.stuck(false, Duration.ofMinutes(5), 100, 105, GRACE)).isFalse();
      advance(Duration.ofSeconds(1));
    }
  }
}
