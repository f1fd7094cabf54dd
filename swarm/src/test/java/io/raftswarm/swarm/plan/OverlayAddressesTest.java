package io.raftswarm.swarm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import java.nio.file.Path;
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
  void capacity_leaves_the_reserved_addresses_out() {
    assertThat(OverlayAddresses.capacity("10.50.0.0/24")).isEqualTo(244);
    assertThat(OverlayAddresses.capacity("10.50.0.0/22")).isEqualTo(OverlayAddresses.DERIVED_CAPACITY);
    assertThat(OverlayAddresses.capacity("10.50.0.0/30")).isZero();
  }
}
