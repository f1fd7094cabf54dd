package io.raftswarm.swarm.drill.timeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** An orderer's {@code /status} JSON: {@code {"node":..., "channels":[...]}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrdererStatus(String node, List<ChannelStatus> channels) {
  public OrdererStatus {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  public Optional<ChannelStatus> channel(String name) {
    return channels.stream().filter(c -> c.channel().equals(name)).findFirst();
  }
}
