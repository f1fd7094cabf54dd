package io.raftswarm.orderer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrdererConfigLoaderTest {
  @TempDir
  Path dir;
  Map<String, String> env;

  @BeforeEach
  void validEnvironment() throws IOException {
    Files.createDirectories(dir.resolve("msp"));
    Files.createDirectories(dir.resolve("tls"));
    Files.createDirectories(dir.resolve("blocks"));
    Files.writeString(dir.resolve("tls/server.crt"), "cert");
    Files.writeString(dir.resolve("tls/server.key"), "key");
    Files.writeString(dir.resolve("tls/ca.crt"), "ca");
    Files.writeString(dir.resolve("blocks/mychannel.block"), "block");
    env = new HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", "7050");
    env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", "7051");
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", dir.resolve("msp").toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", dir.resolve("tls/server.crt").toString());
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", dir.resolve("tls/server.key").toString());
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", "[" + dir.resolve("tls/ca.crt") + "]");
    env.put("ORDERER_GENERAL_BOOTSTRAPDIR", dir.resolve("blocks").toString());
    env.put("ORDERER_FILELEDGER_LOCATION", dir.resolve("ledger").toString());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:8443");
  }

  @Test
  void a_complete_environment_loads_with_defaults_from_the_builtin_yaml() {
    OrdererConfig config = OrdererConfigLoader.load(env);

    assertThat(config.listenPort()).isEqualTo(7050);
    assertThat(config.clusterListenAddress()).isEqualTo("127.0.0.1");
    assertThat(config.genesisBlocks()).containsExactly(dir.resolve("blocks/mychannel.block"));
    assertThat(config.walDir()).isEqualTo(dir.resolve("ledger").resolve("etcdraft").resolve("wal"));
    assertThat(config.operationsListenAddress()).isEqualTo("127.0.0.1");
    assertThat(config.operationsPort()).isEqualTo(8443);
    assertThat(config.electionTimeoutMin()).isEmpty();
    assertThat(config.tlsClientAuthRequired()).as("built-in default").isTrue();
    assertThat(config.admin()).as("no ORDERER_ADMIN_LISTENADDRESS, no admin endpoint").isEmpty();
  }

  @Test
  void the_admin_endpoint_defaults_to_the_general_tls_pair_and_roots() {
    env.put("ORDERER_ADMIN_LISTENADDRESS", "0.0.0.0:7053");
    AdminEndpoint admin = OrdererConfigLoader.load(env).admin().orElseThrow();

    assertThat(admin.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(admin.port()).isEqualTo(7053);
    assertThat(admin.tlsCertificate()).isEqualTo(dir.resolve("tls/server.crt"));
    assertThat(admin.clientRootCas()).containsExactly(dir.resolve("tls/ca.crt"));
    assertThat(admin.participationEnabled()).isTrue();
    assertThat(admin.maxRequestBodyBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void the_admin_endpoint_refuses_plain_http_and_optional_client_certificates_like_fabric() {
    env.put("ORDERER_ADMIN_LISTENADDRESS", "0.0.0.0:7053");
    env.put("ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED", "false");
    assertThatThrownBy(() -> OrdererConfigLoader.load(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED must be true");
    env.put("ORDERER_ADMIN_TLS_ENABLED", "false");
    assertThatThrownBy(() -> OrdererConfigLoader.load(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERER_ADMIN_TLS_ENABLED=false is not supported");
  }

  @ParameterizedTest
  @CsvSource({"1048576,1048576", "512 KB,524288", "2MB,2097152"})
  void request_body_sizes_take_fabrics_units(String value, long bytes) {
    env.put("ORDERER_ADMIN_LISTENADDRESS", "0.0.0.0:7053");
    env.put("ORDERER_CHANNELPARTICIPATION_MAXREQUESTBODYSIZE", value);
    assertThat(OrdererConfigLoader.load(env).admin().orElseThrow().maxRequestBodyBytes()).isEqualTo(bytes);
  }

  @Test
  void client_certificates_can_be_made_optional_like_fabrics_clientauthrequired() {
    env.put("ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false");
    assertThat(OrdererConfigLoader.load(env).tlsClientAuthRequired()).isFalse();
    env.put("ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "TRUE");
    assertThat(OrdererConfigLoader.load(env).tlsClientAuthRequired()).isTrue();
  }

  @Test
  void election_timeouts_are_parsed_as_go_durations() {
    env.put("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN", "250ms");
    env.put("ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX", "1s");

    OrdererConfig config = OrdererConfigLoader.load(env);

    assertThat(config.electionTimeoutMin()).contains(Duration.ofMillis(250));
    assertThat(config.electionTimeoutMax()).contains(Duration.ofSeconds(1));
  }

  @Test
  void the_placement_file_says_which_machine_runs_each_consenter() throws IOException {
    Files.writeString(dir.resolve("placement"), "orderer.example.com:7052 host1\n");
    env.put("ORDERER_CONSENSUS_PLACEMENTFILE", dir.resolve("placement").toString());

    assertThat(OrdererConfigLoader.load(env).placement().machineByEndpoint()).containsExactly(Map.entry("orderer.example.com:7052", "host1"));
    env.remove("ORDERER_CONSENSUS_PLACEMENTFILE");
    assertThat(OrdererConfigLoader.load(env).placement()).isEqualTo(ConsenterPlacement.none());
  }

  @Test
  void a_leader_cuts_when_idle_unless_told_not_to() {
    assertThat(OrdererConfigLoader.load(env).cutWhenIdle()).isTrue();
    env.put("ORDERER_CONSENSUS_CUTWHENIDLE", "false");
    assertThat(OrdererConfigLoader.load(env).cutWhenIdle()).isFalse();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "ORDERER_CONSENSUS_CUTWHENIDLE|sometimes|ORDERER_CONSENSUS_CUTWHENIDLE must be true or false",
      "ORDERER_GENERAL_LISTENPORT|seventy|ORDERER_GENERAL_LISTENPORT must be a whole number",
      "ORDERER_GENERAL_LISTENPORT|70000|ORDERER_GENERAL_LISTENPORT: port 70000 is outside",
      "ORDERER_GENERAL_LISTENPORT|0|ORDERER_GENERAL_LISTENPORT: port 0 is outside",
      "ORDERER_GENERAL_CLUSTER_LISTENPORT|x|ORDERER_GENERAL_CLUSTER_LISTENPORT must be a whole number",
      "ORDERER_GENERAL_CLUSTER_LISTENPORT|-1|ORDERER_GENERAL_CLUSTER_LISTENPORT: port -1 is outside",
      "ORDERER_GENERAL_TLS_ENABLED|false|ORDERER_GENERAL_TLS_ENABLED=false is not supported",
      "ORDERER_GENERAL_TLS_ENABLED|yes|ORDERER_GENERAL_TLS_ENABLED must be true or false",
      "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED|maybe|ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED must be true or false",
      "ORDERER_GENERAL_TLS_CERTIFICATE|/nonexistent/server.crt|ORDERER_GENERAL_TLS_CERTIFICATE: /nonexistent/server.crt does not exist",
      "ORDERER_GENERAL_TLS_PRIVATEKEY|/nonexistent/server.key|ORDERER_GENERAL_TLS_PRIVATEKEY: /nonexistent/server.key does not exist",
      "ORDERER_GENERAL_TLS_ROOTCAS|[/nonexistent/ca.crt]|ORDERER_GENERAL_TLS_ROOTCAS: /nonexistent/ca.crt does not exist",
      "ORDERER_GENERAL_TLS_ROOTCAS|[ , ]|ORDERER_GENERAL_TLS_ROOTCAS lists no file",
      "ORDERER_GENERAL_LOCALMSPDIR|/nonexistent/msp|ORDERER_GENERAL_LOCALMSPDIR: /nonexistent/msp does not exist",
      "ORDERER_GENERAL_BOOTSTRAPDIR|/nonexistent/blocks|ORDERER_GENERAL_BOOTSTRAPDIR: /nonexistent/blocks is not a directory",
      "ORDERER_GENERAL_BOOTSTRAPFILE|/nonexistent/ch.block|ORDERER_GENERAL_BOOTSTRAPFILE: /nonexistent/ch.block does not exist",
      "ORDERER_CONSENSUS_PLACEMENTFILE|/nonexistent/placement|ORDERER_CONSENSUS_PLACEMENTFILE: /nonexistent/placement does not exist",
      "ORDERER_GENERAL_BOOTSTRAPMETHOD|genesis|ORDERER_GENERAL_BOOTSTRAPMETHOD must be file or none, was 'genesis'",
      "ORDERER_OPERATIONS_LISTENADDRESS|8443|ORDERER_OPERATIONS_LISTENADDRESS must be host:port",
      "ORDERER_OPERATIONS_LISTENADDRESS|0.0.0.0:http|ORDERER_OPERATIONS_LISTENADDRESS must be a whole number",
      "ORDERER_OPERATIONS_LISTENADDRESS|0.0.0.0:99999|ORDERER_OPERATIONS_LISTENADDRESS: port 99999 is outside",
      "ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES|many|ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES must be a whole number",
      "ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES|-5|ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES must be >= 0",
      "ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN|fast|ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN must be a positive duration",
      "ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN|300ms|set both ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN and ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX",
  })
  void every_bad_value_fails_with_an_error_naming_the_variable(String variable, String value, String expected) {
    env.put(variable, value);

    assertThatThrownBy(() -> OrdererConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest(name = "{0} unset")
  @CsvSource({
      "ORDERER_GENERAL_LOCALMSPID", "ORDERER_FILELEDGER_LOCATION", "ORDERER_OPERATIONS_LISTENADDRESS",
  })
  void a_required_variable_left_empty_is_named(String variable) {
    env.put(variable, " ");

    assertThatThrownBy(() -> OrdererConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(variable + " is not set");
  }

  @Test
  void bootstrap_method_none_starts_with_no_channel_even_with_a_bootstrap_dir_set() {
    env.put("ORDERER_GENERAL_BOOTSTRAPMETHOD", "none");

    assertThat(OrdererConfigLoader.load(env).genesisBlocks()).isEmpty();
  }

  @Test
  void no_bootstrap_file_or_dir_is_no_channel_yet() {
    env.remove("ORDERER_GENERAL_BOOTSTRAPDIR");

    assertThat(OrdererConfigLoader.load(env).genesisBlocks()).isEmpty();
  }

  @Test
  void a_bootstrap_dir_without_genesis_blocks_is_refused() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    env.put("ORDERER_GENERAL_BOOTSTRAPDIR", empty.toString());

    assertThatThrownBy(() -> OrdererConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERER_GENERAL_BOOTSTRAPDIR")
        .hasMessageContaining("holds no *.block");
  }

  @Test
  void election_timeout_min_must_be_below_max() {
    env.put("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN", "1s");
    env.put("ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX", "500ms");

    assertThatThrownBy(() -> OrdererConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN")
        .hasMessageContaining("must be less than ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX");
  }

  @Test
  void an_unparsable_orderer_yaml_names_the_file() throws IOException {
    Files.writeString(dir.resolve("orderer.yaml"), "General: [unclosed");
    env.put("FABRIC_CFG_PATH", dir.toString());

    assertThatThrownBy(() -> OrdererConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot parse " + dir.resolve("orderer.yaml"));
  }
}
