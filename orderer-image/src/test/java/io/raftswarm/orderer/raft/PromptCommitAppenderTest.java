package io.raftswarm.orderer.raft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.ratis.util.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * When the leader's appender forgives a follower its errors (no sleep before the next send).
 * The walk back over a deposed leader's entries and its effect on the heal are measured by the
 * partition drills (docs/BENCHMARKS.md "Drills"), not here.
 */
class PromptCommitAppenderTest {
  private final Timestamp request = Timestamp.valueOf(1_000_000_000L);

  @Test
  void an_answer_after_the_previous_request_forgives() {
    assertTrue(PromptCommitAppender.answeredSince(request.addTimeMs(2), request));
  }

  @Test
  void silence_since_the_previous_request_does_not() {
    assertFalse(PromptCommitAppender.answeredSince(request.addTimeMs(-500), request));
    assertFalse(PromptCommitAppender.answeredSince(request, request));
  }

  @Test
  void a_commit_only_heartbeat_goes_to_a_follower_that_acknowledged_every_entry() {
    assertTrue(PromptCommitAppender.onlyCommitBehind(41, 42, 41, 40, true));
  }

  @Test
  void no_commit_only_heartbeat_while_entries_are_unacknowledged() {
    // entries 40 and 41 sent (Ratis' next index for the follower is 42) but only 39 acknowledged
    assertFalse(PromptCommitAppender.onlyCommitBehind(39, 42, 41, 39, true));
  }

  @Test
  void no_commit_only_heartbeat_when_told_already_or_silent() {
    assertFalse(PromptCommitAppender.onlyCommitBehind(41, 42, 41, 41, true));
    assertFalse(PromptCommitAppender.onlyCommitBehind(41, 42, 41, 40, false));
  }
}
