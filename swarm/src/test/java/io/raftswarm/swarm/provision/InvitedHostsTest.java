package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitedHostsTest {
  @TempDir Path dir;

  /** The seeds' layout (host1: orderer, orderer2, orderer5, orderer7, Org1; host2: the rest, Org2). */
  Path inventory(String host2Orderers, String host1Orderers) throws Exception {
    StringBuilder orderers = new StringBuilder();
    for (String o : host1Orderers.split(",")) {
      orderers.append("  - {name: ").append(o).append(", host: host1}\n");
    }
    for (String o : host2Orderers.split(",")) {
      orderers.append("  - {name: ").append(o).append(", host: host2}\n");
    }
    return Files.writeString(dir.resolve("hosts.yml"), """
        hosts:
          - name: host1
            address: 10.20.0.11
            manager: true
            ssh: {user: op, key: /nonexistent/id, knownHosts: /nonexistent/known_hosts}
          - name: host2
            address: 10.20.0.12
            manager: true
            invite: true
        orderers:
        """ + orderers + """
        peerOrgs:
          - name: Org1
            peers:
              - {name: peer0, host: host1}
          - name: Org2
            peers:
              - {name: peer0, host: host2}
        """);
  }

  @Test
  void an_invited_host_needs_no_ssh_and_the_plan_and_profile_carry_the_flag() throws Exception {
    Inventory inv = InventoryLoader.loadForRender(inventory("orderer3,orderer4,orderer6", "orderer,orderer2,orderer5,orderer7"));
    assertThat(inv.host("host2").invite()).isTrue();
    assertThat(inv.host("host2").ssh()).isNull();
    assertThat(inv.host("host1").invite()).isFalse();
    NetworkPlan plan = NetworkPlan.of(inv);
    assertThat(plan.manager().name()).isEqualTo("host1");
    assertThat(plan.invitedHosts()).extracting(NetworkPlan.PlannedHost::name).containsExactly("host2");
    assertThat(plan.withoutInvitedHosts().hosts()).extracting(NetworkPlan.PlannedHost::name).containsExactly("host1");
    assertThat(plan.withoutInvitedHosts().nodes()).hasSameSizeAs(plan.nodes());
    assertThat(plan.reachableOrderersHoldMajority()).isTrue();

    InvitedHosts invited = InvitedHosts.of(plan);
    assertThat(invited.names()).containsExactly("host2");
    assertThat(invited.majority()).isTrue();
    assertThat(invited.orgsWithoutReachablePeer()).containsExactly("Org2");
    assertThat(invited.canDeploy()).isFalse();
    assertThat(invited.deployReason()).startsWith("after host2 joins");
  }

  @Test
  void without_a_majority_on_the_reachable_hosts_it_says_so() throws Exception {
    Inventory inv = InventoryLoader.loadForRender(inventory("orderer3,orderer4,orderer5,orderer6", "orderer,orderer2,orderer7"));
    InvitedHosts invited = InvitedHosts.of(NetworkPlan.of(inv));
    assertThat(invited.majority()).isFalse();
    assertThat(invited.noMajorityReason()).contains("3 of 7 orderers").contains("4 needed");
    java.io.StringWriter text = new java.io.StringWriter();
    invited.announce(new java.io.PrintWriter(text));
    assertThat(text.toString()).contains("not a Raft majority").contains("WaitLeaders");
  }

  @Test
  void network_json_writes_invite_only_when_set() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String plain = json.writeValueAsString(new HostAccess("host1", "10.0.0.1", true, "/w"));
    assertThat(plain).doesNotContain("invite");
    String invited = json.writeValueAsString(new HostAccess("host2", "10.0.0.2", false, "/w", "/s", null, true));
    assertThat(invited).contains("\"invite\":true");
    assertThat(json.readValue(invited, HostAccess.class).invite()).isTrue();
    assertThat(json.readValue(plain, HostAccess.class).invite()).isFalse();
  }
}
