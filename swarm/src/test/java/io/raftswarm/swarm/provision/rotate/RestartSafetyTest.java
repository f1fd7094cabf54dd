package io.raftswarm.swarm.provision.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** rotate-certs refuses a restart the network cannot take: Raft majorities and leaders, from the orderers' /status. */
class RestartSafetyTest {
  static final List<String> CHANNELS = List.of("mychannel", "second");
  static final NetworkProfile PROFILE = profile();

  static NetworkProfile profile() {
    List<NetworkProfile.NodeEntry> nodes = new java.util.ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      nodes.add(new NetworkProfile.NodeEntry("orderer" + i + ".example.com", "orderer", "OrdererOrg", "OrdererMSP",
          i <= 4 ? "host1" : "host2", "orderer" + i + ".example.com:7050", "10.0.0.1:" + (7050 + i), "10.0.0.1:" + (8443 + i),
          "/tmp/ca.pem", i));
    }
    nodes.add(new NetworkProfile.NodeEntry("peer0.org1.example.com", "peer", "Org1", "Org1MSP", "host1",
        "peer0.org1.example.com:7051", "10.0.0.1:7151", "10.0.0.1:9443", "/tmp/ca1.pem", 0));
    return new NetworkProfile("first-network", "example.com", "/tmp/crypto", CHANNELS,
        List.of(new HostAccess("host1", "10.0.0.1", true, "/w"), new HostAccess("host2", "10.0.0.2", false, "/w")), nodes);
  }

  /** Every orderer answering; {@code leader} leads every channel; {@code down} do not answer. */
  static Map<String, Optional<OrdererStatus>> statuses(int leader, Set<Integer> down) {
    Map<String, Optional<OrdererStatus>> out = new LinkedHashMap<>();
    for (int i = 1; i <= 7; i++) {
      int id = i;
      out.put("orderer" + i + ".example.com", down.contains(i) ? Optional.empty() : Optional.of(new OrdererStatus(
          "orderer" + i + ".example.com", CHANNELS.stream().map(ch -> new OrdererChannelStatus(ch, id,
              id == leader ? "LEADER" : "FOLLOWER", leader, 3, 10, "ab", 12, 1, 0)).toList())));
    }
    return out;
  }

  static NetworkProfile.NodeEntry node(String name) {
    return PROFILE.node(name).orElseThrow();
  }

  @Test
  void a_healthy_network_takes_any_nodes_restart_even_the_leaders() {
    assertThat(RestartSafety.problem(PROFILE, node("orderer3"), statuses(2, Set.of()))).isEmpty();
    assertThat(RestartSafety.problem(PROFILE, node("orderer2"), statuses(2, Set.of()))).isEmpty();
    assertThat(RestartSafety.problem(PROFILE, node("peer0.org1"), statuses(2, Set.of()))).isEmpty();
  }

  @Test
  void an_orderer_restart_that_would_leave_less_than_a_majority_is_refused_naming_who_is_down() {
    // 7 consenters, majority 4: with 5, 6 down the other 4 of orderer3 remain
    assertThat(RestartSafety.problem(PROFILE, node("orderer3"), statuses(1, Set.of(5, 6)))).isEmpty();
    Optional<String> refused = RestartSafety.problem(PROFILE, node("orderer3"), statuses(1, Set.of(5, 6, 7)));
    assertThat(refused).hasValueSatisfying(why -> assertThat(why)
        .contains("restarting orderer3 would leave channel mychannel with 3 of 7 consenters (a Raft majority is 4)")
        .contains("not alive: [orderer5, orderer6, orderer7]")
        .contains("raftswarm drill heal"));
    // a peer's restart does not touch the Raft majority
    assertThat(RestartSafety.problem(PROFILE, node("peer0.org1"), statuses(1, Set.of(5, 6, 7)))).isEmpty();
  }

  @Test
  void a_channel_without_a_leader_is_refused_for_orderers_and_peers() {
    Map<String, Optional<OrdererStatus>> leaderless = statuses(0, Set.of());
    assertThat(RestartSafety.problem(PROFILE, node("orderer3"), leaderless))
        .hasValueSatisfying(why -> assertThat(why).contains("channel mychannel has no Raft leader"));
    assertThat(RestartSafety.problem(PROFILE, node("peer0.org1"), leaderless))
        .hasValueSatisfying(why -> assertThat(why).contains("channel second has no Raft leader"));
  }

  @Test
  void a_candidate_is_not_counted_as_alive() {
    Map<String, Optional<OrdererStatus>> s = statuses(1, Set.of(6, 7));
    s.put("orderer5.example.com", Optional.of(new OrdererStatus("orderer5.example.com", CHANNELS.stream()
        .map(ch -> new OrdererChannelStatus(ch, 5, "CANDIDATE", 0, 4, 10, "ab", 12, 1, 0)).toList())));
    assertThat(RestartSafety.problem(PROFILE, node("orderer3"), s))
        .hasValueSatisfying(why -> assertThat(why).contains("3 of 7"));
  }
}
