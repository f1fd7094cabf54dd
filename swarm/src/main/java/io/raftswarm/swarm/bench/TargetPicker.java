package io.raftswarm.swarm.bench;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the orderer to send to from one round of {@code /status}: the one asked for, or the
 * first reachable FOLLOWER of the channel that knows a leader (as in the bar: clients send to a
 * follower, which forwards to the leader).
 */
public final class TargetPicker {
  private TargetPicker() {}

  /** @param leader the leader's name as the target sees it, or "none" */
  public record Target(String orderer, String role, String leader) {
    public Target {
      Objects.requireNonNull(orderer, "orderer");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(leader, "leader");
    }
  }

  public static Target pick(NetworkProfile profile, Map<String, StatusSample> statuses, String channel,
      String requested) {
    if (requested != null) {
      NetworkProfile.NodeEntry node = profile.node(requested).filter(NetworkProfile.NodeEntry::isOrderer)
          .orElseThrow(() -> new IllegalArgumentException("no orderer '" + requested + "' in network "
              + profile.name() + " (orderers: " + profile.orderers().stream().map(NetworkProfile.NodeEntry::name).toList() + ")"));
      OrdererChannelStatus cs = channelStatus(statuses, node.name(), channel).orElseThrow(() ->
          new IllegalStateException(node.name() + " does not answer /status for channel " + channel
              + ": " + reason(statuses.get(node.name()))));
      return new Target(node.name(), cs.role(), leaderName(profile, cs.leaderId()));
    }
    for (NetworkProfile.NodeEntry o : profile.orderers()) {
      Optional<OrdererChannelStatus> cs = channelStatus(statuses, o.name(), channel);
      if (cs.isPresent() && "FOLLOWER".equalsIgnoreCase(cs.get().role()) && cs.get().leaderId() != 0) {
        return new Target(o.name(), cs.get().role(), leaderName(profile, cs.get().leaderId()));
      }
    }
    throw new IllegalStateException("no orderer of " + profile.name() + " is a FOLLOWER with a known leader on "
        + channel + "; is the network up (raftswarm status)? Or pass --orderer NAME");
  }

  private static Optional<OrdererChannelStatus> channelStatus(Map<String, StatusSample> statuses, String orderer,
      String channel) {
    StatusSample s = statuses.get(orderer);
    return s == null || s.status() == null ? Optional.empty() : s.status().channel(channel);
  }

  private static String reason(StatusSample s) {
    return s == null ? "not polled" : s.error() != null ? s.error() : "channel not listed";
  }

  private static String leaderName(NetworkProfile profile, int consenterId) {
    return profile.orderers().stream().filter(o -> o.consenterId() == consenterId && consenterId != 0)
        .map(NetworkProfile.NodeEntry::name).findFirst().orElse(consenterId == 0 ? "none" : "#" + consenterId);
  }
}
