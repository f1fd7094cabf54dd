package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.ParsedEnvelope;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.orderer.bench.OrdererClient;
import io.raftswarm.orderer.chain.Chain;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
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
 * The compatibility oracle is Hyperledger's own Fabric Java SDK (org.hyperledger.fabric-sdk-java
 * 2.2.26 from Maven Central), run in its own JVM by {@link SdkDriverProcess} against three in-JVM
 * orderers; which SDK classes each command goes through is listed on
 * {@code org.hyperledger.fabric.sdk.RaftswarmSdkDriver}. Orderers 1 and 2 do not require TLS client
 * certificates (the SDK then connects with TLS only); orderer 3 does (the SDK presents the
 * user's TLS certificate).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FabricJavaSdkCompatibilityTest {
  private static final String CH = "mychannel";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  private TestCluster cluster;

  @BeforeAll
  void startCluster() {
    cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 0);
    cluster.env(1, "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false").env(2, "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false");
    // Fabric's cutting rules only: a batch size set through the SDK is seen in the blocks cut.
    cluster.envAll("ORDERER_CONSENSUS_CUTWHENIDLE", "false");
    cluster.startAll();
    await().atMost(WAIT).until(() -> cluster.agreedLeader(CH) > 0);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void the_sdk_broadcasts_a_message_envelope_without_transaction_id() throws Exception {
    List<String> out = sdk(1, false, "broadcast-message");
    assertThat(out).contains("BROADCAST SUCCESS");
    await().atMost(WAIT).untilAsserted(() -> {
      for (int id = 1; id <= 3; id++) {
        assertThat(headersInLedger(id)).as("orderer %d", id)
            .anyMatch(h -> h.type() == HeaderType.MESSAGE && h.txId().isEmpty());
      }
    });
  }

  @Test
  @Order(2)
  void the_sdk_sends_an_endorser_transaction_through_its_public_channel_api_with_mutual_tls() throws Exception {
    List<String> out = sdk(3, true, "broadcast-endorser-tx");
    String line = out.stream().filter(l -> l.startsWith("BROADCAST ")).findFirst().orElseThrow();
    assertThat(line).startsWith("BROADCAST SUCCESS ");
    String txId = line.substring("BROADCAST SUCCESS ".length());
    await().atMost(WAIT).untilAsserted(() -> {
      for (int id = 1; id <= 3; id++) {
        assertThat(cluster.txIdsInLedger(id, CH)).as("orderer %d", id).contains(txId);
      }
    });
  }

  @Test
  @Order(3)
  void the_sdk_reads_the_channel_config_through_orderer_deliver() throws Exception {
    Payload payload = Payload.parseFrom(Envelope.parseFrom(
        cluster.orderer(1).chain(CH).orElseThrow().ledger().block(0).getData().getData(0)).getPayload());
    byte[] config = ConfigEnvelope.parseFrom(payload.getData()).getConfig().toByteArray();
    assertThat(sdk(2, false, "channel-config")).contains("CONFIG " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config)));
  }

  @Test
  @Order(4)
  void the_sdks_orderer_deliver_with_stop_max_uint64_and_fail_if_not_ready_sends_every_block_then_not_found() throws Exception {
    long height = settledHeight();
    List<String> expected = new ArrayList<>();
    for (long n = 0; n < height; n++) {
      expected.add("BLOCK " + n);
    }
    expected.add("STATUS " + Status.NOT_FOUND);
    assertThat(sdk(1, false, "deliver-until-not-ready")).containsSubsequence(expected).doesNotContain("STATUS BAD_REQUEST");
  }

  @Test
  @Order(5)
  void the_sdks_seek_stream_with_stop_max_uint64_keeps_delivering_new_blocks() throws Exception {
    long height = settledHeight();
    try (SdkDriverProcess sdk = SdkDriverProcess.start(dir.resolve("logs"), args(2, false, "deliver-stream", "blocks=" + (height + 1)))) {
      sdk.awaitLine(("BLOCK " + (height - 1))::equals, WAIT);
      Envelope tx = cluster.tx(CH, 256);
      try (OrdererClient client = cluster.client(3)) {
        assertThat(client.broadcast(List.of(tx), 30).get(0).getStatus()).isEqualTo(Status.SUCCESS);
      }
      sdk.awaitLine(("BLOCK " + height)::equals, WAIT);
      List<String> out = sdk.finish(WAIT);
      assertThat(out).noneMatch(l -> l.startsWith("STATUS") || l.startsWith("ERROR") || l.startsWith("TIMEOUT"));
    }
  }

  @Test
  @Order(6)
  void a_config_update_signed_by_a_non_admin_is_refused_with_the_policy_that_failed() throws Exception {
    OrgSpec org1 = cluster.fixture.crypto().org("Org1");
    List<String> out = sdkRun(args(2, false, "update-batch-size", "maxMessageCount=3", "signerMspId=Org1MSP",
        "signerMsp=" + cluster.fixture.crypto().userMsp(org1, "User1")));
    // the SDK reports the status only (the orderer's info names the unsatisfied /Channel/Orderer/Admins)
    assertThat(out).anyMatch(l -> l.startsWith("UPDATE FAILED") && l.contains("400 (BAD_REQUEST)"));
    assertThat(out).contains("BATCH " + TestCluster.testBatch().maxMessageCount());
  }

  @Test
  @Order(7)
  void an_orderer_admin_changes_the_batch_size_through_the_sdks_config_update_and_every_orderer_applies_it() throws Exception {
    OrgSpec ordererOrg = cluster.fixture.crypto().org("OrdererOrg");
    long before = settledHeight();
    List<String> out = sdkRun(args(2, false, "update-batch-size", "maxMessageCount=3", "signerMspId=OrdererMSP",
        "signerMsp=" + cluster.fixture.crypto().userMsp(ordererOrg, "Admin")));
    assertThat(out).contains("UPDATE SUCCESS", "BATCH 3");
    long height = settledHeight();
    assertThat(height).isEqualTo(before + 1);
    for (int id = 1; id <= 3; id++) {
      Chain chain = cluster.orderer(id).chain(CH).orElseThrow();
      assertThat(chain.config().batch().maxMessageCount()).as("orderer %d", id).isEqualTo(3);
      assertThat(Blocks.isConfigBlock(chain.ledger().block(height - 1))).isTrue();
    }
    // blocks are cut at the new size, and name the new config block as their last config
    try (OrdererClient client = cluster.client(1)) {
      List<Envelope> txs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        txs.add(cluster.tx(CH, 128));
      }
      assertThat(client.broadcast(txs, 30)).allMatch(r -> r.getStatus() == Status.SUCCESS);
    }
    assertThat(settledHeight()).isEqualTo(height + 1);
    Block next = cluster.orderer(1).chain(CH).orElseThrow().ledger().block(height);
    assertThat(next.getData().getDataCount()).isEqualTo(3);
    assertThat(Blocks.lastConfig(next)).hasValue(height - 1);
  }

  @Test
  @Order(8)
  void a_restarted_orderer_keeps_the_updated_config() throws Exception {
    cluster.stop(3);
    cluster.start(3);
    assertThat(cluster.orderer(3).chain(CH).orElseThrow().config().batch().maxMessageCount()).isEqualTo(3);
    assertThat(cluster.orderer(3).chain(CH).orElseThrow().rawConfig().getSequence()).isEqualTo(1);
  }

  private List<String> sdkRun(List<String> args) throws Exception {
    try (SdkDriverProcess sdk = SdkDriverProcess.start(dir.resolve("logs"), args)) {
      return sdk.finish(WAIT);
    }
  }

  private List<String> sdk(int orderer, boolean mutualTls, String command) throws Exception {
    try (SdkDriverProcess sdk = SdkDriverProcess.start(dir.resolve("logs"), args(orderer, mutualTls, command))) {
      return sdk.finish(WAIT);
    }
  }

  private List<String> args(int orderer, boolean mutualTls, String command, String... more) {
    OrgSpec org1 = cluster.fixture.crypto().org("Org1");
    List<String> args = new ArrayList<>(List.of(
        "command=" + command,
        "channel=" + CH,
        "orderer=grpcs://" + cluster.fixture.orderer(orderer).endpoint(),
        "tlsCa=" + cluster.fixture.orderer(orderer).tlsDir().resolve("ca.crt"),
        "mspId=Org1MSP",
        "msp=" + cluster.fixture.crypto().userMsp(org1, "User1"),
        "timeoutSeconds=" + WAIT.toSeconds()));
    if (mutualTls) {
      args.add("clientTls=" + cluster.fixture.crypto().userTls(org1, "User1"));
    }
    args.addAll(List.of(more));
    return args;
  }

  private long settledHeight() {
    return cluster.settledHeight(CH, WAIT);
  }

  private List<ParsedEnvelope> headersInLedger(int id) throws Exception {
    var ledger = cluster.orderer(id).chain(CH).orElseThrow().ledger();
    List<ParsedEnvelope> out = new ArrayList<>();
    for (long n = 1; n < ledger.height(); n++) {
      for (ByteString e : ledger.block(n).getData().getDataList()) {
        out.add(Envelopes.parse(Envelope.parseFrom(e)));
      }
    }
    return out;
  }
}
