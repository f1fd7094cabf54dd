package io.raftswarm.swarm.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {

  static Path repoFile(String relative) {
    // Tests run in swarm/; the example inventories live at the repository root.
    Path p = Path.of("..").resolve(relative).normalize();
    assertThat(p).exists();
    return p;
  }

  static Path resource(String name) throws Exception {
    return Path.of(InventoryLoaderTest.class.getResource("/inventories/" + name).toURI());
  }

  @Test
  void two_hosts_example_reproduces_the_seed_layout() {
    Inventory inv = InventoryLoader.loadForRender(repoFile("inventory/two-hosts.yml"));

    assertThat(inv.hosts()).extracting(Inventory.Host::name).containsExactly("host1", "host2");
    assertThat(inv.orderers()).extracting(o -> o.name() + "@" + o.host() + ":" + o.port())
        .containsExactly("orderer@host1:7050", "orderer2@host1:9050", "orderer3@host2:7050",
            "orderer4@host2:9050", "orderer5@host1:8050", "orderer6@host2:8050",
            "orderer7@host1:10050");
    assertThat(inv.allPeers()).extracting(p -> p.name() + "@" + p.host() + ":" + p.port())
        .containsExactly("peer0@host1:7051", "peer1@host1:8051", "peer0@host2:9051",
            "peer1@host2:10051");
    assertThat(inv.peerOrgs()).extracting(Inventory.PeerOrg::mspId)
        .containsExactly("Org1MSP", "Org2MSP");
    assertThat(inv.channels()).containsExactly(new Inventory.Channel("mychannel",
        new BatchSettings(Duration.ofSeconds(2), 10, 99 << 20, 512 << 10)));
    assertThat(inv.network().name()).isEqualTo("first-network");
    assertThat(inv.manager().name()).isEqualTo("host1");
  }

  @Test
  void three_hosts_example_uses_default_ports_per_host() {
    Inventory inv = InventoryLoader.loadForRender(repoFile("inventory/three-hosts.yml"));
    assertThat(inv.orderers()).extracting(o -> o.host() + ":" + o.port())
        .containsExactly("host1:7050", "host2:7050", "host3:7050", "host1:8050", "host2:8050",
            "host3:8050", "host1:9050");
    assertThat(inv.allPeers()).extracting(p -> p.host() + ":" + p.port())
        .containsExactly("host1:7051", "host2:7051", "host3:7051", "host2:8051");
    assertThat(inv.channelNames()).containsExactly("mychannel", "otherchannel");
    assertThat(inv.network().subnet()).contains("10.30.0.0/16");
    assertThat(inv.warnings()).noneMatch(w -> w.contains("orderers"));
  }

  @Test
  void minimal_inventory_gets_defaults_and_per_host_ports() throws Exception {
    Inventory inv = InventoryLoader.load(resource("valid/minimal.yml"));

    assertThat(inv.ordererOrg()).isEqualTo(
        new Inventory.OrdererOrg("OrdererOrg", "example.com", "OrdererMSP"));
    assertThat(inv.peerOrgs().get(0).domain()).isEqualTo("org1.example.com");
    assertThat(inv.peerOrgs().get(0).mspId()).isEqualTo("Org1MSP");
    assertThat(inv.peerOrgs().get(0).users()).isEqualTo(1);
    assertThat(inv.channels()).containsExactly(new Inventory.Channel("mychannel", BatchSettings.defaults()));
    assertThat(inv.raft()).isEqualTo(RaftOptions.defaults());
    assertThat(inv.images().orderer()).isEqualTo("raftswarm/orderer:latest");
    assertThat(inv.network().name()).isEqualTo("first-network");
    // host1 runs orderer and orderer3: 7050 then 8050; host2's first orderer gets 7050 too.
    assertThat(inv.orderers()).extracting(o -> o.port() + "/" + o.operationsPort())
        .containsExactly("7050/8443", "7050/8443", "8050/8444");
    assertThat(inv.allPeers().get(0).port()).isEqualTo(7051);
    assertThat(inv.allPeers().get(0).operationsPort()).isEqualTo(9443);
    Inventory.Host h1 = inv.host("host1");
    assertThat(h1.manager()).as("first host becomes the manager").isTrue();
    assertThat(h1.workDir()).isEqualTo("/home/op/raftswarm");
    assertThat(h1.dockerSocket()).isEqualTo("/var/run/docker.sock");
    assertThat(h1.ssh().port()).isEqualTo(22);
    assertThat(h1.ssh().key()).isEqualTo(resource("keys/id_test"));
    assertThat(inv.host("host2").manager()).isFalse();
    assertThat(inv.warnings()).isEmpty();
  }

  @Test
  void explicit_ports_win_and_defaults_skip_them(@TempDir Path dir) throws Exception {
    Path file = copyMinimal(dir, s -> s.replace("{name: orderer, host: host1}",
        "{name: orderer, host: host1, port: 8050}"));
    Inventory inv = InventoryLoader.loadForRender(file);
    // orderer takes 8050 explicitly, so orderer3 (host1's second orderer) gets 7050.
    assertThat(inv.orderers().get(0).port()).isEqualTo(8050);
    assertThat(inv.orderers().get(2).port()).isEqualTo(7050);
  }

  @Test
  void the_raft_port_defaults_to_beside_the_orderers_port_and_is_checked_like_the_others(@TempDir Path dir)
      throws Exception {
    Inventory seeds = InventoryLoader.loadForRender(repoFile("inventory/two-hosts.yml"));
    assertThat(seeds.orderers()).extracting(o -> o.port() + "/" + o.clusterPort())
        .containsExactly("7050/7052", "9050/9052", "7050/7052", "9050/9052", "8050/8052", "8050/8052",
            "10050/10052");

    // port + 2 taken by another node: the next free port from ports.ordererClusterBase
    Path taken = copyMinimal(dir.resolve("taken"), s -> s.replace("{name: orderer, host: host1}",
        "{name: orderer, host: host1, operationsPort: 7052}"));
    assertThat(InventoryLoader.loadForRender(taken).orderers().get(0).clusterPort()).isEqualTo(8052);

    Path clash = copyMinimal(dir.resolve("clash"), s -> s.replace("{name: orderer, host: host1}",
        "{name: orderer, host: host1, port: 7050, clusterPort: 7050}"));
    assertThatThrownBy(() -> InventoryLoader.loadForRender(clash))
        .hasMessageContaining("orderers[0].clusterPort")
        .hasMessageContaining("port 7050 on host host1 is already published by orderer.example.com");
  }

  @Test
  void a_host_named_by_a_host_name_is_warned_about_where_it_runs_orderers(@TempDir Path dir) throws Exception {
    Path file = copyMinimal(dir, s -> s.replace("address: 10.20.0.12", "address: host2.example.org"));
    Inventory inv = InventoryLoader.loadForRender(file);
    assertThat(inv.warnings()).singleElement().asString()
        .contains("hosts[1].address").contains("host2.example.org").contains("Swarm overlay")
        .contains("the host's IPv4 address");
  }

  @Test
  void even_number_of_consenters_is_a_warning_not_an_error(@TempDir Path dir) throws Exception {
    Path file = copyMinimal(dir, s -> s.replace("  - {name: orderer3, host: host1}\n",
        "  - {name: orderer3, host: host1}\n  - {name: orderer4, host: host2}\n"));
    Inventory inv = InventoryLoader.loadForRender(file);
    assertThat(inv.orderers()).hasSize(4);
    assertThat(inv.warnings()).singleElement().asString()
        .contains(":9: orderers: 4 orderers (an even number)");
  }

  @Test
  void a_channel_may_set_its_own_batch_and_inherits_the_rest_from_the_top_level(@TempDir Path dir)
      throws Exception {
    Path file = copyMinimal(dir, s -> s + "batch: {MaxMessageCount: 100}\n"
        + "channels:\n  - mychannel\n  - {name: bulk, batch: {MaxMessageCount: 2000, BatchTimeout: 500ms}}\n");
    Inventory inv = InventoryLoader.loadForRender(file);
    BatchSettings d = BatchSettings.defaults();
    assertThat(inv.channels()).containsExactly(
        new Inventory.Channel("mychannel", new BatchSettings(d.batchTimeout(), 100, d.absoluteMaxBytes(),
            d.preferredMaxBytes())),
        new Inventory.Channel("bulk", new BatchSettings(Duration.ofMillis(500), 2000, d.absoluteMaxBytes(),
            d.preferredMaxBytes())));
  }

  @Test
  void channel_mappings_are_checked_with_their_lines(@TempDir Path dir) throws Exception {
    Path file = copyMinimal(dir, s -> s + "channels:\n  - {batch: {MaxMessageCount: 5}}\n"
        + "  - {name: bulk, batch: {MaxMessageCount: 0}, bach: {}}\n  - [x]\n");
    assertThatThrownBy(() -> InventoryLoader.loadForRender(file))
        .isInstanceOf(InventoryException.class)
        .satisfies(e -> assertThat(((InventoryException) e).problems())
            .extracting(p -> p.line() + " " + p.field())
            .containsExactly("18 channels[0].name", "19 channels[1].batch.MaxMessageCount",
                "19 channels[1].bach", "20 channels[2]"));
  }

  @Test
  void orderer_memory_is_sized_from_the_largest_block_unless_the_inventory_sets_it(@TempDir Path dir)
      throws Exception {
    Path sized = copyMinimal(dir.resolve("sized"), s -> s + "channels:\n  - mychannel\n  - {name: bulk, batch: {AbsoluteMaxBytes: 99 MB}}\n");
    NetworkPlan plan = NetworkPlan.of(InventoryLoader.loadForRender(sized));
    // 384 MiB + 3 x 99 MiB = 681 MiB, rounded up to 688; -Xmx adds a 32 MiB survivor space, the limit 256 MiB
    assertThat(plan.ordererMemory().heapBytes()).isEqualTo(688 * OrdererMemory.MIB);
    assertThat(plan.ordererMemory().xmxMiB()).isEqualTo(720);
    assertThat(plan.ordererMemory().containerLimitMiB()).isEqualTo(976);
    assertThat(plan.ordererMemory().fits(99L * OrdererMemory.MIB)).isTrue();

    Path set = copyMinimal(dir.resolve("set"), s -> s + "resources: {ordererMemory: 2 GB}\n");
    NetworkPlan bigger = NetworkPlan.of(InventoryLoader.loadForRender(set));
    assertThat(bigger.ordererMemory().containerLimitMiB()).isEqualTo(2048);
    assertThat(bigger.ordererMemory().xmxMiB()).isEqualTo(2048 - 256);
  }

  @Test
  void an_orderer_memory_too_small_for_the_channels_blocks_is_refused_at_its_line(@TempDir Path dir)
      throws Exception {
    Path file = copyMinimal(dir, s -> s + "batch: {AbsoluteMaxBytes: 99 MB}\nresources:\n  ordererMemory: 512 MB\n");
    assertThatThrownBy(() -> InventoryLoader.loadForRender(file))
        .isInstanceOf(InventoryException.class)
        .satisfies(e -> assertThat(((InventoryException) e).problems()).singleElement().satisfies(p -> {
          assertThat(p.field()).isEqualTo("resources.ordererMemory");
          assertThat(p.line()).isEqualTo(19);
          assertThat(p.toString()).contains("512 MiB is less than channel mychannel needs", "at least 976 MB");
        }));
  }

  @Test
  void all_errors_are_reported_at_once(@TempDir Path dir) throws Exception {
    Path file = copyMinimal(dir, s -> s
        .replace("address: 10.20.0.11", "address: not an address")
        .replace("{name: orderer2, host: host2}", "{name: orderer2, host: nowhere}"));
    assertThatThrownBy(() -> InventoryLoader.loadForRender(file))
        .isInstanceOf(InventoryException.class)
        .satisfies(e -> assertThat(((InventoryException) e).problems())
            .extracting(Problem::field)
            .containsExactly("hosts[0].address", "orderers[1].host"));
  }

  @Test
  void hostKeyFingerprint_replaces_known_hosts(@TempDir Path dir) throws Exception {
    String fp = "SHA256:" + "A".repeat(43);
    Path file = copyMinimal(dir, s -> s.replaceFirst(
        "knownHosts: \\.\\./keys/known_hosts", "hostKeyFingerprint: \"" + fp + "\""));
    Inventory inv = InventoryLoader.load(file);
    assertThat(inv.host("host1").ssh().hostKeyFingerprint()).contains(fp);
    assertThat(inv.host("host1").ssh().knownHosts()).isEmpty();
  }

  @Test
  void values_parse_like_configtx() {
    assertThat(Values.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Values.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Values.duration("100")).isNull();
    assertThat(Values.duration("0s")).isNull();
    assertThat(Values.bytes("99 MB")).isEqualTo(99L << 20);
    assertThat(Values.bytes("512 KB")).isEqualTo(512L << 10);
    assertThat(Values.bytes("1024")).isEqualTo(1024L);
    assertThat(Values.bytes("3 XB")).isNull();
    assertThat(Values.isAddress("192.168.0.11")).isTrue();
    assertThat(Values.isAddress("fd00::11")).as("IPv6 is refused").isFalse();
    assertThat(Values.isIpv6("fd00::11")).isTrue();
    assertThat(Values.isIpv6("[::1]")).isTrue();
    assertThat(Values.isIpv6("192.168.0.11")).isFalse();
    assertThat(Values.isIpv6("192.168.0.11:22")).as("an address with a port").isFalse();
    assertThat(Values.isAddress("192.168.0.11:22")).isFalse();
    assertThat(Values.isIpv6("host2.lan")).isFalse();
    assertThat(Values.isAddress("host2.lan")).isTrue();
    assertThat(Values.isAddress("10.0.0.300")).isFalse();
    assertThat(Values.isAddress("host two")).isFalse();
  }

  private static Path copyMinimal(Path dir, java.util.function.UnaryOperator<String> edit)
      throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(resource("keys/id_test"), keys.resolve("id_test"));
    Files.copy(resource("keys/known_hosts"), keys.resolve("known_hosts"));
    Path sub = Files.createDirectories(dir.resolve("valid"));
    Path file = sub.resolve("hosts.yml");
    Files.writeString(file, edit.apply(Files.readString(resource("valid/minimal.yml"))));
    return file;
  }
}
