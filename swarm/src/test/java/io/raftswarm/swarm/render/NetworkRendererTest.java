package io.raftswarm.swarm.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Renders inventory/two-hosts.yml once (crypto generation is the slow part) and inspects it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetworkRendererTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path shared;
  static NetworkPlan plan;
  static RenderResult rendered;

  @BeforeAll
  static void renderTwoHosts() {
    plan = NetworkPlan.of(InventoryLoader.loadForRender(ROOT.resolve("inventory/two-hosts.yml")));
    rendered = NetworkRenderer.render(plan, shared.resolve("net"), false);
  }

  @Test
  void writes_the_contract_layout() {
    Path out = rendered.outDir();
    assertThat(out.resolve("network.json")).isRegularFile();
    assertThat(out.resolve("channel-artifacts/mychannel.block")).isRegularFile();
    assertThat(out.resolve("crypto-config/ordererOrganizations/example.com/orderers"
        + "/orderer7.example.com/tls/server.crt")).isRegularFile();
    assertThat(rendered.hostBundles()).containsOnlyKeys("host1", "host2");
    for (String host : List.of("host1", "host2")) {
      Path bundle = out.resolve("hosts").resolve(host);
      assertThat(rendered.hostBundles().get(host)).isEqualTo(bundle);
      assertThat(bundle.resolve("docker-compose.yaml")).hasSameTextualContentAs(
          bundle.resolve(host + ".yaml"));
      assertThat(bundle.resolve(".env")).isRegularFile();
      assertThat(bundle.resolve("channel-artifacts/mychannel.block"))
          .hasSameBinaryContentAs(out.resolve("channel-artifacts/mychannel.block"));
    }
    try (Stream<Path> s = Files.list(shared)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no staging leftovers")
          .containsExactly("net");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void each_bundle_holds_only_its_own_nodes_and_no_ca_keys() throws Exception {
    Path host2 = rendered.hostBundles().get("host2").resolve("crypto-config");
    List<String> nodeDirs;
    try (Stream<Path> s = Files.walk(host2)) {
      nodeDirs = s.filter(p -> p.getFileName().toString().endsWith(".example.com")
              && (p.getParent().endsWith("orderers") || p.getParent().endsWith("peers")))
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(nodeDirs).containsExactly("orderer3.example.com", "orderer4.example.com",
        "orderer6.example.com", "peer0.org2.example.com", "peer1.org2.example.com");
    try (Stream<Path> s = Files.walk(rendered.outDir().resolve("hosts"))) {
      assertThat(s.map(p -> rendered.outDir().relativize(p).toString()))
          .noneMatch(p -> p.contains("/ca/") || p.contains("/tlsca/") || p.contains("/users/"));
    }
    Path key = host2.resolve("ordererOrganizations/example.com/orderers/orderer3.example.com"
        + "/tls/server.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void every_certificate_verifies_against_its_ca_with_openssl() throws Exception {
    Path crypto = rendered.outDir().resolve("crypto-config");
    // Group certificates by the CA that must have issued them: TLS material by the org's TLS CA,
    // everything else by the org's signing CA.
    Map<Path, List<Path>> byCa = new TreeMap<>();
    try (Stream<Path> s = Files.walk(crypto)) {
      for (Path cert : s.filter(p -> p.toString().endsWith(".pem")
          || p.toString().endsWith(".crt")).toList()) {
        Path rel = crypto.relativize(cert);
        Path orgDir = crypto.resolve(rel.subpath(0, 2));
        String domain = rel.getName(1).toString();
        boolean tls = rel.toString().contains("/tls/") || rel.toString().contains("/tlsca");
        Path ca = tls ? orgDir.resolve("tlsca/tlsca." + domain + "-cert.pem")
            : orgDir.resolve("ca/ca." + domain + "-cert.pem");
        byCa.computeIfAbsent(ca, k -> new ArrayList<>()).add(cert);
      }
    }
    assertThat(byCa).hasSize(6); // 3 orgs x (CA, TLS CA)
    int verified = 0;
    for (Map.Entry<Path, List<Path>> e : byCa.entrySet()) {
      List<String> cmd = new ArrayList<>(List.of("openssl", "verify", "-CAfile",
          e.getKey().toString()));
      e.getValue().forEach(p -> cmd.add(p.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("openssl verify output:\n%s", output).isZero();
      assertThat(output.lines().filter(l -> l.endsWith(": OK")).count())
          .isEqualTo(e.getValue().size());
      verified += e.getValue().size();
    }
    assertThat(verified).isGreaterThan(60);
  }

  @Test
  void genesis_block_is_an_etcdraft_config_with_the_seven_consenters() throws Exception {
    Block block = Block.parseFrom(
        Files.readAllBytes(rendered.outDir().resolve("channel-artifacts/mychannel.block")));
    assertThat(block.getHeader().getNumber()).isZero();

    // Read with Fabric's own messages, not only our reader.
    Config config = ChannelConfigs.config(block);
    ConsensusType consensus = ConsensusType.parseFrom(config.getChannelGroup()
        .getGroupsOrThrow("Orderer").getValuesOrThrow("ConsensusType").getValue());
    assertThat(consensus.getType()).isEqualTo("etcdraft");
    ConfigMetadata raft = ConfigMetadata.parseFrom(consensus.getMetadata());
    assertThat(raft.getConsentersList()).extracting(c -> c.getHost() + ":" + c.getPort())
        .containsExactly("orderer.example.com:7052", "orderer2.example.com:9052",
            "orderer3.example.com:7052", "orderer4.example.com:9052", "orderer5.example.com:8052",
            "orderer6.example.com:8052", "orderer7.example.com:10052");
    assertThat(raft.getOptions().getTickInterval()).isEqualTo("100ms");
    assertThat(raft.getOptions().getElectionTick()).isEqualTo(10);
    assertThat(config.getChannelGroup().getGroupsOrThrow("Application").getGroupsMap().keySet())
        .containsExactlyInAnyOrder("Org1MSP", "Org2MSP");

    ChannelConfig parsed = ChannelConfigs.fromGenesis(block);
    assertThat(parsed.channelId()).isEqualTo("mychannel");
    // an orderer listens on its published ports: one endpoint over the overlay and across hosts
    assertThat(parsed.ordererEndpoints()).containsExactly("orderer.example.com:7050",
        "orderer2.example.com:9050", "orderer3.example.com:7050", "orderer4.example.com:9050",
        "orderer5.example.com:8050", "orderer6.example.com:8050", "orderer7.example.com:10050");
    Consenter seventh = parsed.consenters().get(6);
    assertThat(seventh.id()).isEqualTo(7);
    assertThat(seventh.serverTlsCertPem()).isEqualTo(Files.readAllBytes(rendered.outDir()
        .resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer7.example.com"
            + "/tls/server.crt")));
    assertThat(parsed.batch().maxMessageCount()).isEqualTo(10);
    assertThat(parsed.batch().batchTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(parsed.applicationOrgs()).extracting(o -> o.mspId())
        .containsExactly("Org1MSP", "Org2MSP");
  }

  @Test
  void network_profile_points_at_published_ports_and_absolute_paths() throws IOException {
    NetworkProfile profile = NetworkProfile.read(rendered.outDir().resolve("network.json"));
    assertThat(profile).isEqualTo(rendered.profile());
    assertThat(profile.name()).isEqualTo("first-network");
    assertThat(profile.orderers()).hasSize(7);
    assertThat(profile.peers()).hasSize(4);
    NetworkProfile.NodeEntry o7 = profile.node("orderer7").orElseThrow();
    assertThat(o7.externalEndpoint()).isEqualTo("10.20.0.11:10050");
    assertThat(o7.internalEndpoint()).isEqualTo("orderer7.example.com:10050");
    assertThat(o7.operationsEndpoint()).isEqualTo("10.20.0.11:8446");
    assertThat(o7.consenterId()).isEqualTo(7);
    assertThat(Path.of(o7.tlsCaCert())).isAbsolute().isRegularFile();
    // the same fixed overlay address the compose file gives the container (drills probe it)
    assertThat(o7.overlayAddress()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(Files.readString(rendered.outDir().resolve("hosts").resolve(o7.host()).resolve("docker-compose.yaml")))
        .contains("ipv4_address: " + o7.overlayAddress());
    assertThat(profile.nodes()).extracting(NetworkProfile.NodeEntry::overlayAddress).doesNotHaveDuplicates();
    assertThat(Path.of(profile.cryptoDir())).isAbsolute().isDirectory();
    NetworkProfile.NodeEntry p = profile.node("peer1.org2.example.com").orElseThrow();
    assertThat(p.externalEndpoint()).isEqualTo("10.20.0.12:10051");
    assertThat(p.tlsCaCert()).endsWith("peerOrganizations/org2.example.com/tlsca/"
        + "tlsca.org2.example.com-cert.pem");
    NetworkProfile.OrgEntry org1 = profile.org("Org1MSP").orElseThrow();
    assertThat(Path.of(org1.userMsps().get("User1"))).isDirectory();
    assertThat(Path.of(org1.userTls().get("Admin")).resolve("client.crt")).isRegularFile();
    // drills and down reach the hosts with what network.json records, never the inventory
    HostAccess host2 = profile.host("host2");
    assertThat(host2.address()).isEqualTo("10.20.0.12");
    assertThat(host2.dockerSocket()).isEqualTo("/var/run/docker.sock");
    assertThat(host2.ssh().user()).isEqualTo("hyperledger");
    assertThat(host2.ssh().key()).startsWith("/").endsWith("/.ssh/id_ed25519");
    assertThat(host2.ssh().knownHosts()).endsWith(".ssh/known_hosts");
    assertThat(host2.ssh().hostKeyFingerprint()).isNull();
  }

  @Test
  void each_channel_gets_its_own_batch_settings_in_its_genesis_block(@TempDir Path dir) throws Exception {
    Path inv = dir.resolve("hosts.yml");
    Files.writeString(inv, Files.readString(ROOT.resolve("inventory/two-hosts.yml"))
        .replace("channels: [mychannel]", "channels: [mychannel, {name: bulk, batch: {MaxMessageCount: 2000}}]")
        .replace("~/.ssh/", ROOT.resolve("swarm/src/test/resources/inventories/keys") + "/")
        .replace("id_ed25519", "id_test"));
    RenderResult r = NetworkRenderer.render(NetworkPlan.of(InventoryLoader.loadForRender(inv)),
        dir.resolve("net"), false);
    assertThat(ChannelConfigs.fromGenesis(Block.parseFrom(Files.readAllBytes(
        r.outDir().resolve("channel-artifacts/mychannel.block")))).batch().maxMessageCount()).isEqualTo(10);
    ChannelConfig bulk = ChannelConfigs.fromGenesis(Block.parseFrom(Files.readAllBytes(
        r.outDir().resolve("channel-artifacts/bulk.block"))));
    assertThat(bulk.batch().maxMessageCount()).isEqualTo(2000);
    assertThat(bulk.batch().batchTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.profile().channels()).containsExactly("mychannel", "bulk");
  }

  @Test
  void rendered_compose_files_pass_docker_compose_config() throws Exception {
    Path compose = findOnPath("docker-compose");
    // never a silent pass: scripts/test installs docker-compose before running Maven
    assertThat(compose).as("docker-compose is not on PATH (%s); install it (apt-get install -y docker-compose,"
        + " as scripts/test does) to check the rendered compose files", System.getenv("PATH")).isNotNull();
    for (Path bundle : rendered.hostBundles().values()) {
      Process p = new ProcessBuilder(compose.toString(), "-f",
          bundle.resolve("docker-compose.yaml").toString(), "config", "-q")
          .directory(bundle.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("docker-compose config for %s:\n%s", bundle, output).isZero();
    }
  }

  @Test
  void re_render_reuses_crypto_and_keeps_an_unchanged_genesis_block(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("net");
    RenderResult first = NetworkRenderer.render(plan, out, false);
    Path cert = out.resolve("crypto-config/ordererOrganizations/example.com/orderers"
        + "/orderer.example.com/tls/server.crt");
    byte[] certBefore = Files.readAllBytes(cert);
    byte[] blockBefore = Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"));
    byte[] composeBefore = Files.readAllBytes(out.resolve("hosts/host1/docker-compose.yaml"));

    RenderResult second = NetworkRenderer.render(plan, out, false);
    // the run id labelled on the containers is kept: a re-render changes no compose file
    assertThat(second.profile().runId()).matches("[0-9a-f]{12}").isEqualTo(first.profile().runId())
        .isNotEqualTo(rendered.profile().runId());
    assertThat(Files.readAllBytes(out.resolve("hosts/host1/docker-compose.yaml"))).isEqualTo(composeBefore);
    assertThat(new String(composeBefore, StandardCharsets.UTF_8))
        .contains("io.raftswarm.run: \"" + first.profile().runId() + "\"");
    assertThat(Files.readAllBytes(cert)).isEqualTo(certBefore);
    assertThat(Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block")))
        .as("same configuration, same genesis block").isEqualTo(blockBefore);

    NetworkRenderer.render(plan, out, true);
    assertThat(Files.readAllBytes(cert)).isNotEqualTo(certBefore);
    assertThat(Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block")))
        .isNotEqualTo(blockBefore);
  }

  @Test
  void once_provisioned_an_added_orderer_keeps_the_genesis_block_and_is_wanted_as_consenter(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("net");
    NetworkRenderer.render(plan, out, false);
    byte[] genesis = Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"));
    Path grown = dir.resolve("grown.yml");
    Files.writeString(grown, Files.readString(ROOT.resolve("inventory/two-hosts.yml"))
        .replace("  - {name: orderer7, host: host1, port: 10050}\n",
            "  - {name: orderer7, host: host1, port: 10050}\n  - {name: orderer8, host: host2, port: 10050}\n"));
    NetworkPlan grownPlan = NetworkPlan.of(InventoryLoader.loadForRender(grown));
    assertThat(grownPlan.orderers()).hasSize(8);

    // Before the network ran, the genesis block follows the inventory ...
    NetworkRenderer.render(grownPlan, out, false);
    assertThat(Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"))).isNotEqualTo(genesis);
    NetworkRenderer.render(plan, out, false);
    genesis = Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"));

    // ... once it ran, the orderers' ledgers start with it: kept, and orderer8 is wanted by config update.
    Files.writeString(out.resolve(NetworkRenderer.PROVISIONED_MARKER), "{}");
    RenderResult again = NetworkRenderer.render(grownPlan, out, false);
    assertThat(Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"))).isEqualTo(genesis);
    assertThat(Files.readAllBytes(out.resolve("hosts/host2/channel-artifacts/mychannel.block"))).isEqualTo(genesis);
    var wanted = NetworkRenderer.plannedChannel(again, "mychannel");
    assertThat(wanted.consenters()).hasSize(8);
    assertThat(wanted.consenters().get(7).host()).isEqualTo("orderer8.example.com");
    assertThat(wanted.ordererEndpoints().get(7)).isEqualTo("orderer8.example.com:10050");
    assertThat(again.profile().orderers()).extracting(n -> n.name()).contains("orderer8.example.com");
    // No running container's overlay address moves (the peers come after the orderers in plan order).
    var before = NetworkRenderer.render(plan, dir.resolve("other"), false).profile();
    for (var node : before.peers()) {
      assertThat(again.profile().peers().stream().filter(p -> p.name().equals(node.name())).findFirst().orElseThrow()
          .overlayAddress()).isEqualTo(node.overlayAddress());
    }
    assertThat(again.profile().orderers().get(7).overlayAddress()).isNotIn(
        before.peers().stream().map(p -> p.overlayAddress()).toList());
  }

  @Test
  void once_provisioned_an_orderer_whose_ports_moved_is_refused_and_nothing_changes(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    NetworkRenderer.render(plan, out, false);
    Files.writeString(out.resolve(NetworkRenderer.PROVISIONED_MARKER), "{}");
    byte[] genesis = Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"));
    byte[] compose = Files.readAllBytes(out.resolve("hosts/host1/docker-compose.yaml"));
    Path moved = dir.resolve("moved.yml");
    Files.writeString(moved, Files.readString(ROOT.resolve("inventory/two-hosts.yml"))
        .replace("{name: orderer7, host: host1, port: 10050}", "{name: orderer7, host: host1, port: 11050}"));
    NetworkPlan movedPlan = NetworkPlan.of(InventoryLoader.loadForRender(moved));

    assertThatThrownBy(() -> NetworkRenderer.render(movedPlan, out, false))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("orderer7.example.com Raft port 10052 → 11052")
        .hasMessageContaining("orderer7.example.com endpoint orderer7.example.com:10050 → orderer7.example.com:11050")
        .hasMessageContaining("a running consenter cannot move");
    assertThat(Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"))).isEqualTo(genesis);
    assertThat(Files.readAllBytes(out.resolve("hosts/host1/docker-compose.yaml"))).isEqualTo(compose);
    // before it ran, the same change is just a new render
    Files.delete(out.resolve(NetworkRenderer.PROVISIONED_MARKER));
    NetworkRenderer.render(movedPlan, out, false);
  }

  @Test
  void a_failed_render_leaves_the_previous_output_untouched(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    NetworkRenderer.copyTree(rendered.outDir(), out);
    byte[] composeBefore = Files.readAllBytes(out.resolve("hosts/host1/docker-compose.yaml"));
    Path brokenTemplates = Files.createDirectories(dir.resolve("broken-templates"));
    Files.writeString(brokenTemplates.resolve(ComposeFiles.COMPOSE_TEMPLATE),
        "services: ${no_such_variable}\n");
    System.setProperty("raftswarm.templates", brokenTemplates.toString());
    try {
      assertThatThrownBy(() -> NetworkRenderer.render(plan, out, true))
          .hasMessageContaining(ComposeFiles.COMPOSE_TEMPLATE);
    } finally {
      System.clearProperty("raftswarm.templates");
    }
    assertThat(Files.readAllBytes(out.resolve("hosts/host1/docker-compose.yaml")))
        .isEqualTo(composeBefore);
    assertThat(out.resolve("crypto-config/ordererOrganizations/example.com/orderers"
        + "/orderer.example.com/tls/server.crt")).hasSameBinaryContentAs(rendered.outDir()
        .resolve("crypto-config/ordererOrganizations/example.com/orderers"
            + "/orderer.example.com/tls/server.crt"));
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("net", "broken-templates");
    }
  }

  @Test
  void refuses_to_replace_a_directory_that_is_not_a_render(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("home"));
    Files.writeString(out.resolve("precious.txt"), "keep me");
    assertThatThrownBy(() -> NetworkRenderer.render(plan, out, false))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("is not empty (precious.txt) and was not written by raftswarm"
            + " render");
    assertThat(out.resolve("precious.txt")).hasContent("keep me");
  }

  static Path findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
