package io.raftswarm.swarm.drill.timeline;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.client.StatusSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds synthetic timelines: rounds every 100 ms of (node → height, role) observations. */
final class TimelineBuilder {
  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  static final String CH = "mychannel";
  final List<String> orderers;
  final List<StatusSample> samples = new ArrayList<>();
  final List<DrillEvent> events = new ArrayList<>();
  /** How long after its round's start each later sample's answer arrives. */
  private long answerDelayMs;

  TimelineBuilder(List<String> orderers) {
    this.orderers = orderers;
  }

  static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  /**
   * One round at {@code ms}: every orderer at {@code height}, leader {@code leader} in {@code term}
   * (also the term of the newest block); {@code down} unreachable.
   */
  TimelineBuilder round(long ms, long height, int leader, long term, List<String> down,
      Map<String, Long> heightOverrides) {
    return round(ms, height, leader, term, term, down, heightOverrides);
  }

  /** Like the other, with the newest block from Raft term {@code blockTerm}. */
  TimelineBuilder round(long ms, long height, int leader, long term, long blockTerm, List<String> down,
      Map<String, Long> heightOverrides) {
    for (int i = 0; i < orderers.size(); i++) {
      String node = orderers.get(i);
      int id = i + 1;
      if (down.contains(node)) {
        samples.add(new StatusSample(at(ms), node, null, "connection refused", at(ms + answerDelayMs)));
        continue;
      }
      long h = heightOverrides.getOrDefault(node, height);
      OrdererChannelStatus c = new OrdererChannelStatus(CH, id, id == leader ? "LEADER" : (leader == 0 ? "CANDIDATE" : "FOLLOWER"),
          leader, term, h, "hash" + h, h * 2, 1, blockTerm);
      samples.add(new StatusSample(at(ms), node, new OrdererStatus(node, List.of(c)), null, at(ms + answerDelayMs)));
    }
    return this;
  }

  TimelineBuilder round(long ms, long height, int leader, long term, List<String> down) {
    return round(ms, height, leader, term, down, Map.of());
  }

  /** The rounds added from now on are answered {@code ms} after they start (a loaded box). */
  TimelineBuilder answeringAfter(long ms) {
    answerDelayMs = ms;
    return this;
  }

  TimelineBuilder event(long ms, DrillEvent.Kind kind, String what, String... nodes) {
    events.add(new DrillEvent(at(ms), kind, what, List.of(nodes)));
    return this;
  }

  Timeline build(long endMs) {
    Map<Integer, String> ids = new java.util.HashMap<>();
    for (int i = 0; i < orderers.size(); i++) {
      ids.put(i + 1, orderers.get(i));
    }
    return new Timeline(T0, at(endMs), orderers, List.of(CH), ids, samples, events);
  }
}
