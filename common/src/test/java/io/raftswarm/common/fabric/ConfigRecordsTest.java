package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigRecordsTest {
  private static final TestOrgs ORDERERS = new TestOrgs("OrdererMSP", "example.com");

  @Test
  void raft_defaults_are_100ms_ticks_election_10_heartbeat_1() {
    RaftOptions raft = RaftOptions.defaults();

    assertThat(raft).isEqualTo(new RaftOptions(Duration.ofMillis(100), 10, 1, 5, 16L * 1024 * 1024));
    assertThat(raft.electionTimeoutMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(raft.electionTimeoutMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(raft.heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void election_tick_must_exceed_heartbeat_tick() {
    assertThatThrownBy(() -> new RaftOptions(Duration.ofMillis(100), 2, 2, 5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("election_tick (2) must be greater than heartbeat_tick (2)");
  }

  @Test
  void batch_defaults_and_fabric_sample() {
    assertThat(BatchSettings.defaults()).isEqualTo(new BatchSettings(Duration.ofSeconds(2), 500, 10 * 1024 * 1024, 2 * 1024 * 1024));
    assertThat(BatchSettings.fabricSample()).isEqualTo(new BatchSettings(Duration.ofSeconds(2), 10, 99 * 1024 * 1024, 512 * 1024));
  }

  @Test
  void preferred_max_bytes_cannot_exceed_absolute_max_bytes() {
    assertThatThrownBy(() -> new BatchSettings(Duration.ofSeconds(1), 10, 100, 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PreferredMaxBytes (101)");
  }

  @Test
  void consenter_ids_must_be_1_to_n_in_order() {
    List<Consenter> consenters = ORDERERS.consenters(2);
    List<Consenter> swapped = List.of(consenters.get(1), consenters.get(0));

    assertThatThrownBy(() -> new ChannelConfig("mychannel", swapped, List.of("a:7050", "b:7050"), RaftOptions.defaults(),
        BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has id 2; ids must be 1..N");
  }

  @Test
  void orderer_endpoints_need_not_be_one_per_consenter_as_in_fabric() {
    // Fabric's test-network: three consenters, one endpoint; Fabric ties no endpoint to a consenter
    ChannelConfig config = new ChannelConfig("mychannel", ORDERERS.consenters(3), List.of("orderer2.example.com:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());

    assertThat(config.ordererEndpoints()).containsExactly("orderer2.example.com:7050");
    assertThat(config.ordererEndpoint(2)).as("the one endpoint on consenter 2's host").contains("orderer2.example.com:7050");
    assertThat(config.ordererEndpoint(1)).isEmpty();
    assertThat(config.ordererEndpoint(3)).isEmpty();
  }

  @Test
  void a_consenters_endpoint_is_never_guessed_across_hosts_or_among_consenters_sharing_a_host() {
    List<Consenter> onOneHost = ORDERERS.consenters(3).stream()
        .map(c -> new Consenter(c.id(), "127.0.0.1", c.port(), c.clientTlsCertPem(), c.serverTlsCertPem())).toList();
    ChannelConfig shared = new ChannelConfig("mychannel", onOneHost, List.of("127.0.0.1:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());
    assertThat(shared.ordererEndpoint(1)).isEmpty();
    assertThat(shared.ordererEndpoint(2)).isEmpty();

    ChannelConfig elsewhere = new ChannelConfig("mychannel", ORDERERS.consenters(2), List.of("a:7050", "b:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());
    assertThat(elsewhere.ordererEndpoint(1)).as("one per consenter, but on other hosts").isEmpty();

    ChannelConfig perConsenter = new ChannelConfig("mychannel", onOneHost, List.of("127.0.0.1:7050", "127.0.0.1:8050", "127.0.0.1:9050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());
    assertThat(perConsenter.ordererEndpoint(2)).as("one per consenter, in consenter order").contains("127.0.0.1:8050");
    assertThat(perConsenter.endpointsShareAHost()).as("so the order is only a guess, for orderers to check").isTrue();
    assertThat(shared.endpointsShareAHost()).isTrue();
    assertThat(elsewhere.endpointsShareAHost()).isFalse();
  }

  @Test
  void channel_names_follow_fabrics_rule() {
    assertThatThrownBy(() -> new ChannelConfig("MyChannel", ORDERERS.consenters(1), List.of("a:7050"), RaftOptions.defaults(),
        BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channel name \"MyChannel\" is invalid");
  }

  @Test
  void consenter_compares_certificates_by_content_and_copies_them() {
    Consenter consenter = ORDERERS.consenters(1).get(0);
    Consenter same = new Consenter(1, consenter.host(), consenter.port(), consenter.clientTlsCertPem(), consenter.serverTlsCertPem());

    assertThat(same).isEqualTo(consenter).hasSameHashCodeAs(consenter);
    consenter.serverTlsCertPem()[0] = 'x';
    assertThat(consenter).isEqualTo(same);
  }

  @Test
  void an_orderer_finds_its_consenter_by_its_tls_certificate() {
    List<Consenter> consenters = ORDERERS.consenters(3);
    ChannelConfig config = new ChannelConfig("mychannel", consenters, List.of("a:7050", "b:7050", "c:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());
    var second = io.raftswarm.common.crypto.Pem.readCertificate(consenters.get(1).serverTlsCertPem());
    var stranger = io.raftswarm.common.crypto.Pem.readCertificate(ORDERERS.tlsCertPem("orderer9"));

    assertThat(config.consenterFor(second).map(Consenter::id)).contains(2);
    assertThat(config.consenterFor(stranger)).isEmpty();
  }

  @Test
  void consenter_lookup_by_id() {
    ChannelConfig config = new ChannelConfig("mychannel", ORDERERS.consenters(2),
        List.of("orderer1.example.com:7050", "orderer2.example.com:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());

    assertThat(config.consenter(2).map(Consenter::id)).contains(2);
    assertThat(config.ordererEndpoint(2)).contains("orderer2.example.com:7050");
    assertThat(config.consenter(3)).isEmpty();
    assertThat(config.msps().byId("OrdererMSP")).isPresent();
  }
}
