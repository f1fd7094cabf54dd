package io.raftswarm.common.status;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One channel in an orderer's {@code /status}. The component order is the JSON field order.
 *
 * @param consenterId this orderer's consenter id in the channel
 * @param role LEADER, FOLLOWER or CANDIDATE
 * @param leaderId consenter id of the leader this orderer knows, 0 when none
 * @param height number of blocks in the orderer's ledger
 * @param lastBlockHash hex header hash of the newest block
 * @param raftIndex last Raft log index applied to the ledger
 * @param raftLogStart first index still in the orderer's Raft log (earlier entries were purged
 *     after a snapshot: a follower behind it catches up by pulling blocks); -1 when its Raft
 *     group does not run, 0 from an orderer that does not report it
 * @param lastBlockTerm Raft term of the entry that produced the newest block, as this orderer
 *     applied it; 0 when unknown (a block from before this process started or pulled from
 *     another orderer, or an orderer that does not report it). A block of a newer term than a
 *     fault's was ordered after the fault, which a height alone cannot show.
 */
public record OrdererChannelStatus(
    String channel,
    int consenterId,
    String role,
    int leaderId,
    long term,
    long height,
    String lastBlockHash,
    long raftIndex,
    long raftLogStart,
    long lastBlockTerm) {

  @JsonIgnore // derived from role; not a field of the document
  public boolean isLeader() {
    return "LEADER".equalsIgnoreCase(role);
  }
}
