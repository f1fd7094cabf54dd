package io.raftswarm.swarm.provision;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** An orderer's operations {@code /status} JSON (see CONTRACTS.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrdererStatus(String node, List<Channel> channels) {
  public OrdererStatus {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Channel(String channel, int consenterId, String role, long leaderId, long term,
      long height, String lastBlockHash, long raftIndex) {}

  public java.util.Optional<Channel> channel(String name) {
    return channels.stream().filter(c -> name.equals(c.channel())).findFirst();
  }
}
