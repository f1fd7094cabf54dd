package io.raftswarm.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.testing.LocalNetworkFixture.OrdererNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNetworkFixtureTest {
  @TempDir static Path dir;
  static LocalNetworkFixture network;

  @BeforeAll
  static void create() {
    network = LocalNetworkFixture.create(dir, 7, 2, List.of("mychannel", "second"));
  }

  @Test
  void orderers_are_named_like_fabric_samples_with_distinct_loopback_ports() {
    assertThat(network.orderer(1).name()).isEqualTo("orderer.example.com");
    assertThat(network.orderer(7).name()).isEqualTo("orderer7.example.com");
    assertThat(network.orderer(1).tlsDir()).isEqualTo(
        network.cryptoDir().resolve("ordererOrganizations/example.com/orderers/orderer.example.com/tls"));
    assertThat(network.peer("Org2", 1).name()).isEqualTo("peer1.org2.example.com");
    assertThatThrownBy(() -> network.orderer(8)).hasMessageContaining("1..7");

    List<Integer> ports = new ArrayList<>();
    for (OrdererNode o : network.orderers()) {
      ports.addAll(List.of(o.port(), o.clusterPort(), o.operationsPort()));
    }
    network.peers().forEach(p -> ports.addAll(List.of(p.port(), p.operationsPort())));
    assertThat(ports).hasSize(7 * 3 + 4 * 2).allMatch(p -> p > 0);
    assertThat(new HashSet<>(ports)).hasSameSizeAs(ports);
  }

  @Test
  void genesis_blocks_carry_all_orderers_as_consenters_and_read_back() throws Exception {
    for (String channel : List.of("mychannel", "second")) {
      Path file = network.genesisBlock(channel);
      assertThat(file).isEqualTo(dir.resolve("channel-artifacts").resolve(channel + ".block"));
      ChannelConfig read = ChannelConfigs.fromGenesis(Block.parseFrom(Files.readAllBytes(file)));
      ChannelConfig expected = network.channelConfig(channel);
      assertThat(read.channelId()).isEqualTo(channel);
      assertThat(read.consenters()).hasSize(7);
      assertThat(read.ordererEndpoints()).containsExactlyElementsOf(expected.ordererEndpoints());
      IntStream.rangeClosed(1, 7).forEach(id -> {
        Consenter consenter = read.consenters().get(id - 1);
        assertThat(consenter.host()).isEqualTo("127.0.0.1");
        assertThat(consenter.port()).isEqualTo(network.orderer(id).clusterPort());
        assertThat(read.ordererEndpoints().get(id - 1)).isEqualTo("127.0.0.1:" + network.orderer(id).port());
      });
      assertThat(read.applicationOrgs()).extracting(o -> o.mspId()).containsExactly("Org1MSP", "Org2MSP");
      assertThat(read.ordererOrgs()).extracting(o -> o.mspId()).containsExactly("OrdererMSP");
    }
  }

  @Test
  void users_and_nodes_are_valid_members_of_the_channel() {
    var msps = network.channelConfig("mychannel").msps();
    var user = network.user("Org1", "User1");
    assertThat(msps.validateCreator(user.serialize()).role()).contains("client");
    assertThat(msps.validateCreator(network.user("Org2", "Admin").serialize()).role()).contains("admin");
    var orderer = network.orderer(3).identity();
    assertThat(msps.validateCreator(orderer.serialize()).role()).contains("orderer");
    assertThat(Identities.verify(user.certificate(), new byte[] {1}, user.sign(new byte[] {1}))).isTrue();
    assertThatThrownBy(() -> network.user("Org1", "User2")).hasMessageContaining("User1");
  }

  @Test
  void client_tls_trusts_the_tls_cas_of_every_org() {
    var tls = network.clientTls("Org1");
    assertThat(tls.certificate().getSubjectX500Principal().getName()).contains("User1@org1.example.com");
    assertThat(tls.trustedRoots()).hasSize(3);
    var ordererMsp = network.channelConfig("mychannel").ordererOrgs().get(0);
    assertThat(ordererMsp.issuedTls(network.ordererTls(1).certificate())).isTrue();
  }

  @Test
  void creating_again_in_the_same_directory_keeps_the_crypto_material(@TempDir Path own) throws Exception {
    LocalNetworkFixture first = LocalNetworkFixture.create(own, 3, 1, List.of("mychannel"));
    byte[] key = Files.readAllBytes(first.orderer(1).mspDir().resolve("keystore/priv_sk"));
    LocalNetworkFixture again = LocalNetworkFixture.create(own, 3, 1, List.of("mychannel"));
    assertThat(again.crypto().changedOrgs()).isEmpty();
    assertThat(Files.readAllBytes(again.orderer(1).mspDir().resolve("keystore/priv_sk"))).isEqualTo(key);
  }
}
