package io.raftswarm.swarm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayAddressesTest {
  @Test
  void every_container_gets_its_own_address_in_the_last_slash22_of_the_swarm_pool() throws Exception {
    Inventory inv = InventoryLoader.loadForRender(Path.of("..").toAbsolutePath().normalize().resolve("inventory/two-hosts.yml"));
    NetworkPlan plan = NetworkPlan.of(inv);
    OverlayAddresses overlay = plan.overlay();
    assertThat(overlay.pool()).isEqualTo("10.201.0.0/16");
    assertThat(overlay.subnet()).isEqualTo("10.201.252.0/22");
    assertThat(overlay.byFqdn()).hasSize(plan.nodes().size());
    assertThat(overlay.byFqdn().get(plan.nodes().get(0).fqdn())).isEqualTo("10.201.252.10");
    assertThat(overlay.byFqdn().values()).doesNotHaveDuplicates()
        .allSatisfy(a -> assertThat(AddressPools.contains(overlay.subnet(), a)).isTrue());
  }

  @Test
  void docker_allocates_from_the_upper_half_which_holds_no_fixed_address() throws Exception {
    Inventory inv = InventoryLoader.loadForRender(Path.of("..").toAbsolutePath().normalize().resolve("inventory/two-hosts.yml"));
    OverlayAddresses overlay = NetworkPlan.of(inv).overlay();

    assertThat(overlay.ipRange()).isEqualTo("10.201.254.0/23");
    assertThat(overlay.byFqdn().values()).noneSatisfy(a -> assertThat(AddressPools.contains(overlay.ipRange(), a)).isTrue());
    assertThat(new OverlayAddresses("10.50.0.0/16", "10.50.7.0/24", java.util.Map.of()).ipRange()).isEqualTo("10.50.7.128/25");
  }

  @Test
  void keeping_never_assigns_an_address_in_dockers_range() {
    OverlayAddresses small = new OverlayAddresses("10.50.0.0/16", "10.50.7.0/27", java.util.Map.of());
    // 32 addresses: fixed ones are .10 .. .15, Docker's range .16/28.
    List<NetworkPlan.PlannedNode> nodes = java.util.stream.IntStream.range(0, 6).mapToObj(OverlayAddressesTest::node).toList();
    assertThat(small.keeping(java.util.Map.of(), nodes).byFqdn().values()).containsExactly(
        "10.50.7.10", "10.50.7.11", "10.50.7.12", "10.50.7.13", "10.50.7.14", "10.50.7.15");

    List<NetworkPlan.PlannedNode> seven = java.util.stream.IntStream.range(0, 7).mapToObj(OverlayAddressesTest::node).toList();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> small.keeping(java.util.Map.of("n0", "10.50.7.20"), seven))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no free fixed address left for n6")
        .hasMessageContaining("10.50.7.16/28");
  }

  @Test
  void capacity_leaves_the_reserved_addresses_out() {
    assertThat(OverlayAddresses.capacity("10.50.0.0/24")).isEqualTo(118);
    assertThat(OverlayAddresses.capacity("10.50.0.0/22")).isEqualTo(OverlayAddresses.DERIVED_CAPACITY);
    assertThat(OverlayAddresses.capacity("10.50.0.0/30")).isZero();
  }

  private static NetworkPlan.PlannedNode node(int i) {
    return new NetworkPlan.PlannedNode(NetworkPlan.Role.PEER, "n" + i, "n" + i, "Org1", "Org1MSP", "org1.example.com",
        "host1", "192.168.0.1", 0, "image", 7051, 7052, 9443, 0, 0, 0, "crypto", "data");
  }
}
