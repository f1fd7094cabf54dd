package io.raftswarm.swarm.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.inventory.Inventory;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Inventory {@code network.tcpRtoMax} reaches every container as a sysctl, and only when set. */
class ContainerSysctlsTest {
  /** The smallest valid inventory of the loader's tests (no network section). */
  static String hosts() throws Exception {
    return Files.readString(Path.of(ContainerSysctlsTest.class.getResource("/inventories/valid/minimal.yml").toURI()));
  }

  @TempDir Path dir;

  @Test
  void tcp_rto_max_becomes_a_sysctl_on_every_orderer_and_peer() throws Exception {
    NetworkPlan plan = plan("network: {name: first-network, tcpRtoMax: 1500ms}\n" + hosts());
    assertThat(plan.tcpRtoMax()).contains(Duration.ofMillis(1500));

    Map<String, Map<String, Object>> services = services(plan, "host1");
    assertThat(services).containsOnlyKeys("orderer.example.com", "orderer3.example.com",
        "peer0.org1.example.com");
    services.forEach((name, service) -> assertThat(service.get("sysctls")).as(name)
        .isEqualTo(Map.of("net.ipv4.tcp_rto_max_ms", "1500")));
  }

  @Test
  void without_tcp_rto_max_no_container_gets_a_sysctl() throws Exception {
    NetworkPlan plan = plan(hosts());
    assertThat(plan.tcpRtoMax()).isEmpty();
    services(plan, "host1").forEach((name, service) ->
        assertThat(service).as(name).doesNotContainKey("sysctls"));
  }

  private NetworkPlan plan(String inventory) throws Exception {
    Path file = dir.resolve("inventory.yml");
    Files.writeString(file, inventory);
    Inventory inv = InventoryLoader.loadForRender(file);
    return NetworkPlan.of(inv);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(NetworkPlan plan, String host) {
    Map<String, Object> compose = new Yaml().load(ComposeFiles.load().compose(plan, host, "run"));
    return (Map<String, Map<String, Object>>) compose.get("services");
  }
}
