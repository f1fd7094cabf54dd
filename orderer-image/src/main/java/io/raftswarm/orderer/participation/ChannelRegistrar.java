package io.raftswarm.orderer.participation;

import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/** What the channel participation API asks of an orderer (Fabric's {@code ChannelManagement}). */
public interface ChannelRegistrar {
  /** The channels this orderer serves, sorted by name. */
  List<ChannelInfo> channels();

  Optional<ChannelInfo> channel(String channelId);

  /** Joins the channel {@code configBlock} (already checked by {@link JoinBlocks}) belongs to. */
  ChannelInfo join(JoinBlocks.JoinBlock configBlock) throws ParticipationException;

  /** Stops serving the channel and deletes its ledger and Raft log on this orderer. */
  void remove(String channelId) throws ParticipationException;
}
