package io.raftswarm.swarm.provision;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** A peer's operations {@code /status} JSON. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PeerStatus(String node, List<Channel> channels) {
  public PeerStatus {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Channel(String channel, long height, String lastBlockHash, String stateHash,
      String orderer) {}

  public Optional<Channel> channel(String name) {
    return channels.stream().filter(c -> name.equals(c.channel())).findFirst();
  }
}
