package io.raftswarm.swarm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.inventory.InventoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each host's containers find the nodes: the routing half of the network model. */
class AddressesSeenFromTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void orderers_on_other_hosts_by_their_host_address_everything_else_on_the_overlay() {
    NetworkPlan plan = NetworkPlan.of(InventoryLoader.loadForRender(ROOT.resolve("inventory/two-hosts.yml")));
    Map<String, String> fromHost2 = plan.addressesSeenFrom(plan.host("host2"));
    Map<String, String> overlay = plan.overlay().byFqdn();

    assertThat(fromHost2.get("orderer7.example.com")).isEqualTo("10.20.0.11"); // host1's orderer
    assertThat(fromHost2.get("orderer3.example.com")).isEqualTo(overlay.get("orderer3.example.com")); // host2's own
    assertThat(fromHost2.get("peer0.org1.example.com")).isEqualTo(overlay.get("peer0.org1.example.com"));
    assertThat(fromHost2).hasSize(plan.nodes().size());
    assertThat(plan.addressesSeenFrom(plan.host("host1")).get("orderer3.example.com")).isEqualTo("10.20.0.12");
  }

  @Test
  void a_host_named_by_a_host_name_keeps_the_overlay_path(@TempDir Path dir) throws Exception {
    Path inventory = dir.resolve("named.yml");
    Files.writeString(inventory, Files.readString(ROOT.resolve("inventory/two-hosts.yml"))
        .replace("address: 10.20.0.12", "address: host2.example.org"));
    NetworkPlan plan = NetworkPlan.of(InventoryLoader.loadForRender(inventory));

    assertThat(plan.addressesSeenFrom(plan.host("host1")).get("orderer3.example.com"))
        .isEqualTo(plan.overlay().byFqdn().get("orderer3.example.com"));
    assertThat(plan.addressesSeenFrom(plan.host("host2")).get("orderer7.example.com")).isEqualTo("10.20.0.11");
  }
}
