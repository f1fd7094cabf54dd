package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import io.raftswarm.orderer.participation.OsnAdminRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three orderers boot from a genesis block that Fabric's own {@code configtxgen} (v2.5.9) wrote
 * for an etcdraft application channel (test resources {@code configtxgen-v2.5.9/}: its
 * configtx.yaml, the crypto material it read and the block; README.md there says how it was
 * made). The oracle is the block: every byte of it was produced by Fabric's config encoding, not
 * by ours. Then Fabric's Java SDK orders a transaction through them and reads the chain back.
 * The block names fixed ports: Broadcast/Deliver 127.0.0.1:17041-17043 (the org's OrdererEndpoints)
 * and Raft 127.0.0.1:17051-17053 (the consenters); the operations ports are free ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConfigtxgenGenesisTest {
  private static final String CH = "mychannel";
  private static final String FIXTURE = "configtxgen-v2.5.9";
  private static final String[] HOSTS = {"orderer", "orderer2", "orderer3"};
  private static final int FIRST_CLIENT_PORT = 17041;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  /** The genesis block the orderers boot from or join. */
  private Path block;
  private final Orderer[] orderers = new Orderer[HOSTS.length];
  private final int[] operationsPorts = LocalNetworkFixture.freePorts(HOSTS.length);

  @BeforeAll
  void startOrderers() throws Exception {
    copyTree(fixture(), dir);
    block = dir.resolve(CH + ".block");
    TestCluster.startTogether(HOSTS.length, n -> orderers[n] = Orderer.start(OrdererConfigLoader.load(environment(n))));
    await().atMost(WAIT).until(() -> leaders() == 1);
  }

  @AfterAll
  void stopOrderers() {
    for (int n = 0; n < orderers.length; n++) {
      if (orderers[n] != null) {
        orderers[n].close();
        orderers[n] = null;
      }
    }
  }

  @Test
  @Order(1)
  void every_orderer_keeps_configtxgens_block_as_block_0_byte_for_byte() throws Exception {
    byte[] written = Files.readAllBytes(block);
    for (int i = 0; i < HOSTS.length; i++) {
      assertThat(orderers[i].chain(CH).orElseThrow().ledger().block(0).toByteArray()).as(HOSTS[i]).isEqualTo(written);
    }
  }

  @Test
  @Order(2)
  void the_channel_config_is_what_configtx_yaml_says() throws Exception {
    ChannelConfig config = orderers[0].chain(CH).orElseThrow().config();
    assertThat(config.batch()).isEqualTo(new BatchSettings(Duration.ofMillis(250), 10, 10 * 1024 * 1024, 512 * 1024));
    assertThat(config.consenters()).extracting(Consenter::host, Consenter::port)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1", 17051), org.assertj.core.groups.Tuple.tuple("127.0.0.1", 17052),
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", 17053));
    for (int i = 0; i < HOSTS.length; i++) {
      byte[] tlsCert = Files.readAllBytes(tlsDir(i).resolve("server.crt"));
      assertThat(config.consenters().get(i).serverTlsCertPem()).as(HOSTS[i]).isEqualTo(tlsCert);
    }
    assertThat(config.ordererOrgs()).extracting(OrgMsp::mspId).containsExactly("OrdererMSP");
    assertThat(config.applicationOrgs()).extracting(OrgMsp::mspId).containsExactlyInAnyOrder("Org1MSP", "Org2MSP");
    assertThat(config.ordererEndpoints()).containsExactly("127.0.0.1:17041", "127.0.0.1:17042", "127.0.0.1:17043");
    assertThat(config.ordererEndpoint(2)).contains("127.0.0.1:17042");
    assertThat(config.anchorPeers()).containsEntry("Org1MSP", List.of("127.0.0.1:17061")).containsEntry("Org2MSP", List.of("127.0.0.1:17062"));
    assertThat(config.raftOptions().tickInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.raftOptions().electionTick()).isEqualTo(10);
    assertThat(config.raftOptions().snapshotIntervalSize()).isEqualTo(16L * 1024 * 1024);
  }

  @Test
  @Order(3)
  void fabrics_java_sdk_orders_a_transaction_through_a_follower_and_reads_the_chain_back() throws Exception {
    int follower = 0;
    while (orderers[follower].chain(CH).orElseThrow().role() == RaftPeerRole.LEADER) {
      follower++;
    }
    List<String> out = sdk(follower, "broadcast-endorser-tx");
    String line = out.stream().filter(l -> l.startsWith("BROADCAST ")).findFirst().orElseThrow();
    assertThat(line).startsWith("BROADCAST SUCCESS ");
    await().atMost(WAIT).until(() -> Stream.of(orderers).allMatch(o -> o.chain(CH).orElseThrow().ledger().height() >= 2));
    long height = orderers[0].chain(CH).orElseThrow().ledger().height();
    List<String> expected = new ArrayList<>();
    for (long n = 0; n < height; n++) {
      expected.add("BLOCK " + n);
    }
    expected.add("STATUS " + Status.NOT_FOUND);
    assertThat(sdk(2, "deliver-until-not-ready")).containsSubsequence(expected);
  }

  /**
   * Fabric's test-network flow: orderers start with {@code BootstrapMethod: none} and no channel,
   * then {@code osnadmin channel join} gives each configtxgen's block over the admin endpoint
   * (osnadmin's requests: {@link OsnAdminRequests}). Their clients' TLS CAs are not in
   * ORDERER_GENERAL_TLS_ROOTCAS: the client-facing port trusts them once the channel is joined.
   */
  @Test
  @Order(4)
  void orderers_started_with_no_channel_join_configtxgens_block_through_osnadmin_and_order() throws Exception {
    stopOrderers();
    for (int n = 0; n < HOSTS.length; n++) {
      orderers[n] = Orderer.start(OrdererConfigLoader.load(joinEnvironment(n)));
      assertThat(orderers[n].chains()).as(HOSTS[n]).isEmpty();
    }
    byte[] genesis = Files.readAllBytes(block);
    for (int n = 0; n < HOSTS.length; n++) {
      String joined = osnadminJoin(n);
      assertThat(joined).as(HOSTS[n]).startsWith("Status: 201").contains("\"name\":\"" + CH + "\"");
    }
    await().atMost(WAIT).until(() -> leaders() == 1);
    for (int n = 0; n < HOSTS.length; n++) {
      assertThat(orderers[n].chain(CH).orElseThrow().ledger().block(0).toByteArray()).as(HOSTS[n]).isEqualTo(genesis);
    }
    fabrics_java_sdk_orders_a_transaction_through_a_follower_and_reads_the_chain_back();
  }

  /**
   * configtxgen's block for the same network with the org's OrdererEndpoints listed in another
   * order (17043, 17041, 17042; {@code configtx-unaligned-endpoints.yaml}): all on one host, so
   * their positions do not tie them to consenters (by position 17043 would be orderer's). Each
   * orderer learns whose each endpoint is from the TLS certificate it presents, so Broadcast
   * through every follower reaches the leader.
   */
  @Test
  @Order(5)
  void followers_learn_whose_each_endpoint_is_when_the_config_does_not_say_and_forward_there() throws Exception {
    stopOrderers();
    block = dir.resolve(CH + "-unaligned-endpoints.block");
    TestCluster.startTogether(HOSTS.length, n -> orderers[n] = Orderer.start(OrdererConfigLoader.load(unalignedEnvironment(n))));
    await().atMost(WAIT).until(() -> leaders() == 1);
    ChannelConfig config = orderers[0].chain(CH).orElseThrow().config();
    assertThat(config.ordererEndpoints()).containsExactly("127.0.0.1:17043", "127.0.0.1:17041", "127.0.0.1:17042");
    assertThat(config.ordererEndpoint(1)).as("by position the config says orderer3's").contains("127.0.0.1:17043");
    await().atMost(WAIT).untilAsserted(() -> {
      for (Orderer o : orderers) {
        for (int id = 1; id <= HOSTS.length; id++) {
          assertThat(o.chain(CH).orElseThrow().endpointOf(id)).as(o.name() + " knows consenter " + id)
              .contains("127.0.0.1:" + (FIRST_CLIENT_PORT + id - 1));
        }
      }
    });
    for (int n = 0; n < HOSTS.length; n++) {
      if (orderers[n].chain(CH).orElseThrow().role() == RaftPeerRole.LEADER) {
        continue;
      }
      String line = sdk(n, "broadcast-endorser-tx").stream().filter(l -> l.startsWith("BROADCAST ")).findFirst().orElseThrow();
      assertThat(line).as("through follower " + HOSTS[n]).startsWith("BROADCAST SUCCESS ");
    }
  }

  /** As {@link #environment}, booting from the unaligned block with fresh ledgers. */
  private Map<String, String> unalignedEnvironment(int n) {
    Map<String, String> env = environment(n);
    env.put("ORDERER_FILELEDGER_LOCATION", dir.resolve("unaligned").resolve(HOSTS[n]).toString());
    return env;
  }

  /**
   * {@code osnadmin channel join} of configtxgen's block on orderer {@code n}, as "Status: CODE"
   * and the body with whitespace removed. With {@code OSNADMIN} set to Fabric's osnadmin binary
   * it runs that (an oracle run; no Fabric binary is part of the suite), otherwise it sends
   * osnadmin's request ({@link OsnAdminRequests}).
   */
  private String osnadminJoin(int n) throws Exception {
    String port = "127.0.0.1:" + orderers[n].adminPort().orElseThrow();
    Path adminTls = dir.resolve("crypto-config/ordererOrganizations/example.com/users/Admin@example.com/tls");
    String osnadmin = System.getenv("OSNADMIN");
    if (osnadmin == null || osnadmin.isBlank()) {
      HttpResponse<String> joined = new OsnAdminRequests(port, TlsMaterial.load(adminTls)).join(Files.readAllBytes(block));
      return "Status: " + joined.statusCode() + joined.body().replaceAll("\\s", "");
    }
    Process p = new ProcessBuilder(osnadmin, "channel", "join", "-o", port, "--channelID", CH, "--config-block",
        block.toString(), "--ca-file", adminTls.resolve("ca.crt").toString(), "--client-cert",
        adminTls.resolve("client.crt").toString(), "--client-key", adminTls.resolve("client.key").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    System.out.println("osnadmin channel join on " + HOSTS[n] + ":\n" + out);
    int newline = out.indexOf('\n');
    return newline < 0 ? out : out.substring(0, newline) + out.substring(newline).replaceAll("\\s", "");
  }

  private int leaders() {
    return (int) Stream.of(orderers).filter(o -> o != null && o.chain(CH).orElseThrow().role() == RaftPeerRole.LEADER).count();
  }

  private List<String> sdk(int orderer, String command) throws Exception {
    Path org1 = dir.resolve("crypto-config/peerOrganizations/org1.example.com");
    List<String> args = List.of(
        "command=" + command,
        "channel=" + CH,
        "orderer=grpcs://127.0.0.1:" + (FIRST_CLIENT_PORT + orderer),
        "tlsCa=" + tlsDir(orderer).resolve("ca.crt"),
        "mspId=Org1MSP",
        "msp=" + org1.resolve("users/User1@org1.example.com/msp"),
        "clientTls=" + org1.resolve("users/User1@org1.example.com/tls"),
        "timeoutSeconds=" + WAIT.toSeconds());
    try (SdkDriverProcess sdk = SdkDriverProcess.start(dir.resolve("logs"), args)) {
      return sdk.finish(WAIT);
    }
  }

  private Path tlsDir(int n) {
    return dir.resolve("crypto-config/ordererOrganizations/example.com/orderers/" + HOSTS[n] + ".example.com/tls");
  }

  /** Fabric's ORDERER_* settings for orderer {@code n}, booting from {@link #block}. */
  private Map<String, String> environment(int n) {
    Map<String, String> env = ConfigtxgenNetwork.fixtureEnvironment(dir, n);
    env.put("ORDERER_GENERAL_BOOTSTRAPFILE", block.toString());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + operationsPorts[n]);
    return env;
  }

  /** Test-network's orderer settings: no bootstrap block, an admin endpoint, a fresh ledger. */
  private Map<String, String> joinEnvironment(int n) {
    Map<String, String> env = environment(n);
    env.remove("ORDERER_GENERAL_BOOTSTRAPFILE");
    env.put("ORDERER_GENERAL_BOOTSTRAPMETHOD", "none");
    env.put("ORDERER_FILELEDGER_LOCATION", dir.resolve("joined").resolve(HOSTS[n]).toString());
    env.put("ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:0");
    env.put("ORDERER_ADMIN_TLS_ENABLED", "true");
    env.put("ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED", "true");
    return env;
  }

  private static Path fixture() throws URISyntaxException {
    var url = ConfigtxgenGenesisTest.class.getClassLoader().getResource(FIXTURE);
    if (url == null) {
      throw new IllegalStateException(FIXTURE + " is not on the test class path");
    }
    return Path.of(url.toURI());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(p -> {
        Path target = to.resolve(from.relativize(p).toString());
        try {
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
