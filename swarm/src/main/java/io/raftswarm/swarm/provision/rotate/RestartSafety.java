package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the network can take one node's restart now, decided from every orderer's /status.
 * An orderer's restart must leave every channel a Raft majority of its other consenters alive
 * (alive = answering and a LEADER or FOLLOWER of the channel); every channel must have a leader
 * now, which the config update needs and a restarted peer needs to catch up.
 * Every orderer of the network is a consenter of every channel (render and channel create make
 * them so). Pure: the caller polls.
 */
final class RestartSafety {
  private RestartSafety() {}

  /** Why {@code node} must not be restarted now, or empty when it may. */
  static Optional<String> problem(NetworkProfile profile, NetworkProfile.NodeEntry node,
      Map<String, Optional<OrdererStatus>> statuses) {
    int consenters = profile.orderers().size();
    int majority = consenters / 2 + 1;
    List<String> problems = new ArrayList<>();
    for (String channel : profile.channels()) {
      List<String> alive = new ArrayList<>();
      List<String> notAlive = new ArrayList<>();
      boolean leader = false;
      for (NetworkProfile.NodeEntry o : profile.orderers()) {
        Optional<OrdererChannelStatus> s = statuses.getOrDefault(o.name(), Optional.empty()).flatMap(st -> st.channel(channel));
        boolean member = s.filter(c -> c.isLeader() || "FOLLOWER".equalsIgnoreCase(c.role())).isPresent();
        leader |= s.filter(OrdererChannelStatus::isLeader).isPresent();
        if (o.name().equals(node.name())) {
          continue;
        }
        (member ? alive : notAlive).add(shortName(o.name()));
      }
      if (node.isOrderer() && alive.size() < majority) {
        problems.add("restarting " + shortName(node.name()) + " would leave channel " + channel + " with " + alive.size()
            + " of " + consenters + " consenters (a Raft majority is " + majority + "); not alive: " + notAlive);
      } else if (!leader) {
        problems.add("channel " + channel + " has no Raft leader (not alive: " + notAlive + ")");
      }
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join("; ", problems) + ". Bring the other orderers back first (raftswarm status shows"
        + " them; raftswarm drill heal starts stopped containers), wait for a leader, then run rotate-certs again");
  }

  /** One line on what the restart leaves, for progress. */
  static String summary(NetworkProfile profile, NetworkProfile.NodeEntry node, Map<String, Optional<OrdererStatus>> statuses) {
    long alive = profile.orderers().stream().filter(o -> !o.name().equals(node.name()))
        .filter(o -> statuses.getOrDefault(o.name(), Optional.empty()).isPresent()).count();
    return alive + " of " + (profile.orderers().size() - (node.isOrderer() ? 1 : 0)) + " other orderers answer; every"
        + " channel keeps a majority and a leader";
  }

  static String shortName(String fqdn) {
    return fqdn.contains(".") ? fqdn.substring(0, fqdn.indexOf('.')) : fqdn;
  }
}
