package io.raftswarm.swarm.provision;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every orderer's /status at one moment, and what it says per channel: who leads, and whether
 * all orderers agree on leader, height and last block hash.
 */
public record ClusterStatus(Map<String, Optional<OrdererStatus>> byNode, List<String> channels) {
  public ClusterStatus {
    byNode = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byNode));
    channels = List.copyOf(channels);
  }

  public static ClusterStatus query(NetworkProfile profile, OperationsClient ops) {
    Map<String, Optional<OrdererStatus>> m = new LinkedHashMap<>();
    List<java.util.concurrent.CompletableFuture<Optional<OrdererStatus>>> fs = new ArrayList<>();
    for (NetworkProfile.NodeEntry o : profile.orderers()) {
      fs.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> ops.ordererStatus(o.operationsEndpoint()), ProvisionThreads.POOL));
    }
    for (int i = 0; i < fs.size(); i++) {
      m.put(profile.orderers().get(i).name(), fs.get(i).join());
    }
    return new ClusterStatus(m, profile.channels());
  }

  /** The leader's consenter id of {@code channel} if every orderer answers and agrees on it. */
  public Optional<Long> agreedLeader(String channel) {
    Long leader = null;
    int leaders = 0;
    for (Optional<OrdererStatus> s : byNode.values()) {
      Optional<OrdererChannelStatus> c = s.flatMap(x -> x.channel(channel));
      if (c.isEmpty() || c.get().leaderId() <= 0) {
        return Optional.empty();
      }
      if (leader == null) {
        leader = (long) c.get().leaderId();
      } else if (leader != c.get().leaderId()) {
        return Optional.empty();
      }
      if ("LEADER".equals(c.get().role())) {
        leaders++;
      }
    }
    return leaders == 1 ? Optional.ofNullable(leader) : Optional.empty();
  }

  /** True if every orderer reports the same height and last block hash for {@code channel}. */
  public boolean chainsAgree(String channel) {
    return byNode.values().stream()
        .map(s -> s.flatMap(x -> x.channel(channel)).map(c -> c.height() + "/" + c.lastBlockHash())
            .orElse("?"))
        .distinct().count() == 1
        && byNode.values().stream().allMatch(s -> s.flatMap(x -> x.channel(channel)).isPresent());
  }

  /** One line per channel that has no agreed single leader, for error messages. */
  public List<String> disagreements() {
    List<String> out = new ArrayList<>();
    for (String ch : channels) {
      if (agreedLeader(ch).isEmpty()) {
        List<String> views = new ArrayList<>();
        byNode.forEach((node, s) -> views.add(node + "=" + s.flatMap(x -> x.channel(ch))
            .map(c -> c.role() + "/leader " + c.leaderId() + "/term " + c.term()).orElse("no answer")));
        out.add(ch + ": " + String.join(", ", views));
      }
    }
    return out;
  }
}
