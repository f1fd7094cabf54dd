package io.raftswarm.common.status;

import java.util.List;
import java.util.Optional;

/**
 * A peer's operations {@code /status} document (docs/CONTRACTS.md): written by the peer, read by
 * swarm, both through {@link StatusJson}.
 */
public record PeerStatus(String node, List<PeerChannelStatus> channels) {
  public PeerStatus {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  public Optional<PeerChannelStatus> channel(String name) {
    return channels.stream().filter(c -> c.channel().equals(name)).findFirst();
  }
}
