package io.raftswarm.orderer.raft;

import io.raftswarm.orderer.ledger.BlockStore;

/**
 * Copies blocks from another orderer of the channel, like Fabric's BlockPuller (over Deliver).
 * Implementations pick the source (the leader first, then the others) and are called from the
 * state machine's catch-up task, never from a Ratis thread; they may block.
 */
public interface BlockPuller {
  /**
   * Finds an orderer whose applied Raft index is at least {@code minAppliedIndex}, reads its
   * {@link ConsistentCut}, and appends its blocks from {@code ledger}'s height to the cut's to
   * {@code ledger}, unsynced (the caller syncs).
   *
   * @param leaderHint the current Raft leader's peer id, or null
   * @return the cut the pulled blocks end at
   * @throws Exception when no orderer could serve it now (the caller retries with backoff; the
   *     blocks appended so far stay)
   */
  ConsistentCut pull(String leaderHint, long minAppliedIndex, BlockStore ledger) throws Exception;

  /**
   * Whether the orderer at {@code ordererEndpoint} runs this channel's Raft node (it answers for
   * the channel). A leader adds a consenter to the Raft group only then: Ratis would otherwise
   * hammer a node that has not joined yet, and a request arriving while that node's Raft node
   * starts can break the start.
   */
  default boolean runsChannel(String ordererEndpoint) {
    return true;
  }
}
