package io.raftswarm.common.status;

import java.util.List;
import java.util.Optional;

/**
 * An orderer's operations {@code /status} document (docs/CONTRACTS.md): written by the orderer,
 * read by swarm, both through {@link StatusJson}.
 */
public record OrdererStatus(String node, List<OrdererChannelStatus> channels) {
  public OrdererStatus {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  public Optional<OrdererChannelStatus> channel(String name) {
    return channels.stream().filter(c -> c.channel().equals(name)).findFirst();
  }
}
