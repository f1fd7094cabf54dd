package io.raftswarm.swarm.drill.timeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One channel in an orderer's {@code /status} JSON (see docs/CONTRACTS.md).
 *
 * @param role LEADER, FOLLOWER or CANDIDATE
 * @param leaderId consenter id of the leader this orderer knows, 0 when none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChannelStatus(
    String channel,
    int consenterId,
    String role,
    int leaderId,
    long term,
    long height,
    String lastBlockHash,
    long raftIndex) {

  public boolean isLeader() {
    return "LEADER".equalsIgnoreCase(role);
  }
}
