package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.NodeSpec;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.common.testing.LocalNetworkFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.ConfigGroup;
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
 * An application org joins and another leaves a running channel through CONFIG_UPDATE
 * transactions that Fabric's Java SDK signs and submits ({@code Channel.updateChannelConfiguration},
 * run by {@link SdkDriverProcess}), with the update computed as {@code configtxlator compute_update}
 * computes it. The orderers check it against the channel's Application/Admins policy (a majority
 * of the orgs' admins), cut a config block, and from then on take or refuse the org's
 * transactions. The new org's group is the one raftswarm writes for an org (what {@code
 * configtxgen -printOrg} gives an admin in Fabric).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ApplicationOrgChangesTest {
  private static final String CH = "mychannel";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  private TestCluster cluster;
  private OrgSpec org3;
  private CryptoTree org3Crypto;
  private Path org3Group;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 0);
    // the SDK dials these two with TLS only; orderer 3 demands a client certificate, whose
    // issuer it trusts once a config block puts the issuer's org into the channel
    cluster.env(1, "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false").env(2, "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false");
    cluster.startAll();
    await().atMost(WAIT).until(() -> cluster.agreedLeader(CH) > 0);
    org3 = new OrgSpec("Org3", "org3.example.com", "Org3MSP", false,
        List.of(new NodeSpec("peer0", LocalNetworkFixture.LOOPBACK_SANS)), 1);
    org3Crypto = CryptoGen.generate(dir.resolve("org3-crypto"), List.of(org3), false);
    org3Group = dir.resolve("org3-group.pb");
    Files.write(org3Group, orgGroup(org3Crypto.orgMsp(org3)).toByteArray());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void an_org_outside_the_channel_cannot_broadcast() throws Exception {
    assertThat(broadcastAs(org3Crypto, org3)).anyMatch(l -> l.startsWith("BROADCAST FAILED") && l.contains("FORBIDDEN"));
    assertThat(broadcastWithClientCertificateAs(org3Crypto, org3)).as("orderer 3 does not trust Org3's TLS CA")
        .anyMatch(l -> l.startsWith("BROADCAST FAILED") && l.contains("UNAVAILABLE"));
  }

  @Test
  @Order(2)
  void adding_an_org_signed_by_one_admin_of_two_orgs_is_refused() throws Exception {
    List<String> out = sdk("update-add-org", "org=Org3MSP", "orgGroup=" + org3Group,
        "signerMspId=Org1MSP", "signerMsp=" + admin("Org1"));
    assertThat(out).anyMatch(l -> l.startsWith("UPDATE FAILED") && l.contains("BAD_REQUEST"));
    assertThat(out).contains("ORGS Org1MSP Org2MSP");
  }

  @Test
  @Order(3)
  void a_majority_of_admins_adds_an_org_whose_members_then_broadcast() throws Exception {
    long before = settledHeight();
    List<String> out = sdk("update-add-org", "org=Org3MSP", "orgGroup=" + org3Group,
        "signerMspId=Org1MSP,Org2MSP", "signerMsp=" + admin("Org1") + "," + admin("Org2"));
    assertThat(out).contains("UPDATE SUCCESS", "ORGS Org1MSP Org2MSP Org3MSP");
    assertThat(settledHeight()).isEqualTo(before + 1);
    for (int id = 1; id <= 3; id++) {
      assertThat(cluster.orderer(id).chain(CH).orElseThrow().config().applicationOrgs()).as("orderer %d", id)
          .extracting(OrgMsp::mspId).containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
    }
    String txId = success(broadcastAs(org3Crypto, org3));
    // the client-facing port's trust follows the config within a second
    String mutualTlsTxId = await().atMost(Duration.ofSeconds(10)).until(() -> broadcastWithClientCertificateAs(org3Crypto, org3),
        lines -> lines.stream().anyMatch(l -> l.startsWith("BROADCAST SUCCESS "))).stream()
        .filter(l -> l.startsWith("BROADCAST SUCCESS ")).findFirst().orElseThrow().substring("BROADCAST SUCCESS ".length());
    await().atMost(WAIT).untilAsserted(() -> {
      for (int id = 1; id <= 3; id++) {
        assertThat(cluster.txIdsInLedger(id, CH)).as("orderer %d", id).contains(txId, mutualTlsTxId);
      }
    });
  }

  @Test
  @Order(4)
  void a_majority_of_admins_removes_an_org_whose_members_are_then_refused() throws Exception {
    CryptoTree crypto = cluster.fixture.crypto();
    String org2Tx = success(broadcastAs(crypto, crypto.org("Org2")));
    List<String> out = sdk("update-remove-org", "org=Org2MSP",
        "signerMspId=Org1MSP,Org3MSP", "signerMsp=" + admin("Org1") + "," + org3Crypto.userMsp(org3, "Admin"));
    assertThat(out).contains("UPDATE SUCCESS", "ORGS Org1MSP Org3MSP");
    settledHeight();
    for (int id = 1; id <= 3; id++) {
      assertThat(cluster.orderer(id).chain(CH).orElseThrow().config().applicationOrgs()).as("orderer %d", id)
          .extracting(OrgMsp::mspId).containsExactly("Org1MSP", "Org3MSP");
      assertThat(cluster.txIdsInLedger(id, CH)).as("orderer %d keeps what Org2 sent before", id).contains(org2Tx);
    }
    assertThat(broadcastAs(crypto, crypto.org("Org2"))).anyMatch(l -> l.startsWith("BROADCAST FAILED") && l.contains("FORBIDDEN"));
  }

  /** The Application group of an org as raftswarm writes it into a channel config. */
  private ConfigGroup orgGroup(OrgMsp org) {
    ChannelConfig current = cluster.orderer(1).chain(CH).orElseThrow().config();
    List<OrgMsp> orgs = new ArrayList<>(current.applicationOrgs());
    orgs.add(org);
    ChannelConfig with = new ChannelConfig(CH, current.consenters(), current.ordererEndpoints(), current.raftOptions(),
        current.batch(), current.ordererOrgs(), orgs);
    return ChannelConfigs.config(ChannelConfigs.genesisBlock(with)).getChannelGroup().getGroupsOrThrow("Application")
        .getGroupsOrThrow(org.mspId());
  }

  private Path admin(String org) {
    CryptoTree crypto = cluster.fixture.crypto();
    return crypto.userMsp(crypto.org(org), "Admin");
  }

  private List<String> broadcastAs(CryptoTree crypto, OrgSpec org) throws Exception {
    return sdk("broadcast-endorser-tx", "mspId=" + org.mspId(), "msp=" + crypto.userMsp(org, "User1"));
  }

  /** As {@link #broadcastAs}, through orderer 3 (client certificate required), presenting the user's TLS certificate. */
  private List<String> broadcastWithClientCertificateAs(CryptoTree crypto, OrgSpec org) throws Exception {
    return sdk("broadcast-endorser-tx", "mspId=" + org.mspId(), "msp=" + crypto.userMsp(org, "User1"),
        "clientTls=" + crypto.userTls(org, "User1"), "orderer=grpcs://" + cluster.fixture.orderer(3).endpoint(),
        "tlsCa=" + cluster.fixture.orderer(3).tlsDir().resolve("ca.crt"));
  }

  private static String success(List<String> out) {
    String line = out.stream().filter(l -> l.startsWith("BROADCAST ")).findFirst().orElseThrow();
    assertThat(line).startsWith("BROADCAST SUCCESS ");
    return line.substring("BROADCAST SUCCESS ".length());
  }

  /** Runs the SDK driver against orderer 1 as Org1's User1 unless {@code more} says otherwise. */
  private List<String> sdk(String command, String... more) throws Exception {
    OrgSpec org1 = cluster.fixture.crypto().org("Org1");
    List<String> args = new ArrayList<>(List.of(
        "command=" + command,
        "channel=" + CH,
        "orderer=grpcs://" + cluster.fixture.orderer(1).endpoint(),
        "tlsCa=" + cluster.fixture.orderer(1).tlsDir().resolve("ca.crt"),
        "mspId=Org1MSP",
        "msp=" + cluster.fixture.crypto().userMsp(org1, "User1"),
        "timeoutSeconds=" + WAIT.toSeconds()));
    for (String m : more) {
      String key = m.substring(0, m.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(key));
      args.add(m);
    }
    try (SdkDriverProcess sdk = SdkDriverProcess.start(dir.resolve("logs"), args)) {
      return sdk.finish(WAIT);
    }
  }

  private long settledHeight() {
    return cluster.settledHeight(CH, WAIT);
  }
}
