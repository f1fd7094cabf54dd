package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.common.configtx.ConfigDiff;
import io.raftswarm.common.configtx.ConfigSignatures;
import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.ConsenterEdits;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.bench.OrdererClient;
import io.raftswarm.orderer.participation.OsnAdminRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing the consenters of a running channel through config updates signed by the orderer
 * org's admin, as Fabric's operators do: a consenter's TLS certificate renewed (the orderer then
 * restarts with it), a consenter added (it joins with the newest config block through the
 * participation API and becomes a Raft member), a consenter removed (it leaves the channel), and
 * the refusals: two consenters changed at once, and a change the active consenters could not
 * carry.
 */
class ConsenterChangesTest {
  private static final String CH = "grow";

  @TempDir
  Path dir;

  /** Four orderers whose bootstrap channels name all four; channel {@code grow} is joined by the first three only. */
  private TestCluster cluster() {
    TestCluster cluster = new TestCluster(dir, 4, List.of("mychannel"), TestCluster.testBatch(), 10);
    for (int id = 1; id <= 4; id++) {
      cluster.env(id, "ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:0");
    }
    return cluster;
  }

  private static OsnAdminRequests admin(TestCluster cluster, int id) {
    TlsMaterial adminTls = cluster.fixture.clientTls("OrdererOrg");
    return new OsnAdminRequests("127.0.0.1:" + cluster.orderer(id).adminPort().orElseThrow(), adminTls);
  }

  private static ChannelConfig withConsenters(ChannelConfig like, String channel, List<Consenter> consenters, List<String> endpoints) {
    List<Consenter> renumbered = new ArrayList<>();
    for (int i = 0; i < consenters.size(); i++) {
      Consenter c = consenters.get(i);
      renumbered.add(new Consenter(i + 1, c.host(), c.port(), c.clientTlsCertPem(), c.serverTlsCertPem()));
    }
    return new ChannelConfig(channel, renumbered, endpoints, like.raftOptions(), like.batch(), like.ordererOrgs(),
        like.applicationOrgs(), like.anchorPeers());
  }

  /** The genesis block of {@code grow}, whose consenters are orderers 1..3. */
  private static byte[] growGenesis(TestCluster cluster) {
    ChannelConfig like = cluster.fixture.channelConfig("mychannel");
    ChannelConfig three = withConsenters(like, CH, like.consenters().subList(0, 3), like.ordererEndpoints().subList(0, 3));
    return io.raftswarm.common.fabric.ChannelConfigs.genesisBlock(three).toByteArray();
  }

  /** Creates {@code grow} with orderers 1..3 as its consenters, through the participation API. */
  private static void createGrow(TestCluster cluster) throws Exception {
    createGrow(cluster, growGenesis(cluster));
  }

  private static void createGrow(TestCluster cluster, byte[] block) throws Exception {
    for (int id = 1; id <= 3; id++) {
      assertThat(admin(cluster, id).join(block).statusCode()).isEqualTo(201);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(cluster, CH) > 0);
  }

  /** The orderer (fixture id) leading {@code channel} as the running members agree, or 0. */
  private static int leaderOf(TestCluster cluster, String channel) {
    int found = 0;
    for (int id = 1; id <= cluster.size(); id++) {
      if (!cluster.running(id) || cluster.orderer(id).chain(channel).isEmpty()) {
        continue;
      }
      var chain = cluster.orderer(id).chain(channel).orElseThrow();
      if (chain.role() == org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER && chain.cutter().isLeader()) {
        if (found != 0) {
          return 0;
        }
        found = id;
      }
    }
    return found;
  }

  /** Computes, signs (orderer org admin) and broadcasts the update from the config in force to {@code wanted}. */
  private static BroadcastResponse update(TestCluster cluster, int via, ChannelConfig wanted) throws Exception {
    Config current = cluster.orderer(via).chain(wanted.channelId()).orElseThrow().rawConfig();
    Config next = ConsenterEdits.withConsenters(current, wanted);
    var update = ConfigDiff.compute(wanted.channelId(), current, next);
    SigningIdentity admin = cluster.fixture.user("OrdererOrg", "Admin");
    try (OrdererClient client = cluster.client(via)) {
      return client.broadcast(List.of(ConfigSignatures.envelope(update, List.of(admin), admin)), 30).get(0);
    }
  }

  private static ChannelConfig inForce(TestCluster cluster, int id, String channel) {
    return cluster.orderer(id).chain(channel).orElseThrow().config();
  }

  private static Set<String> raftMembers(TestCluster cluster, int id, String channel) {
    return cluster.orderer(id).chain(channel).orElseThrow().raftMembers();
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void a_consenter_is_added_then_another_removed_while_the_channel_keeps_ordering() throws Exception {
    try (TestCluster cluster = cluster()) {
      // orderer4 finds grow's genesis block in its bootstrap directory, as an orderer added to a
      // network does, but is not one of its consenters: it starts without it and waits to be joined.
      byte[] genesis = growGenesis(cluster);
      Path bootstrap4 = Files.createDirectories(dir.resolve("bootstrap4"));
      Files.copy(cluster.fixture.genesisBlock("mychannel"), bootstrap4.resolve("mychannel.block"));
      Files.write(bootstrap4.resolve(CH + ".block"), genesis);
      cluster.env(4, "ORDERER_GENERAL_BOOTSTRAPDIR", bootstrap4.toString());
      cluster.startAll();
      assertThat(cluster.orderer(4).chain(CH)).isEmpty();
      createGrow(cluster, genesis);
      int via = leaderOf(cluster, CH) % 3 + 1;
      cluster.sendAll(CH, via, 10);
      ChannelConfig like = cluster.fixture.channelConfig("mychannel");

      // Two consenters changed in one update: refused, as etcdraft refuses it.
      ChannelConfig twoChanges = withConsenters(like, CH, List.of(like.consenters().get(0), like.consenters().get(3)),
          List.of(like.ordererEndpoints().get(0), like.ordererEndpoints().get(3)));
      BroadcastResponse refused = update(cluster, via, twoChanges);
      assertThat(refused.getStatus()).isEqualTo(Status.BAD_REQUEST);
      assertThat(refused.getInfo()).contains("changes 3 consenters").contains("one consenter per config update");

      // Add orderer4: the three apply the config block; orderer4 joins with it and onboards.
      ChannelConfig four = withConsenters(like, CH, like.consenters(), like.ordererEndpoints());
      BroadcastResponse added = update(cluster, via, four);
      assertThat(added.getStatus()).as(added.getInfo()).isEqualTo(Status.SUCCESS);
      await().atMost(Duration.ofSeconds(20)).until(() -> inForce(cluster, 1, CH).consenters().size() == 4
          && inForce(cluster, 2, CH).consenters().size() == 4 && inForce(cluster, 3, CH).consenters().size() == 4);
      var ledger = cluster.orderer(via).chain(CH).orElseThrow().ledger();
      Block configBlock = ledger.block(io.raftswarm.orderer.ledger.LedgerConfig.of(ledger).blockNumber());
      var joined = admin(cluster, 4).join(configBlock.toByteArray());
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
      Set<String> allFour = new TreeSet<>(List.of("orderer.example.com", "orderer2.example.com", "orderer3.example.com",
          "orderer4.example.com"));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        int leader = leaderOf(cluster, CH);
        assertThat(leader).isPositive();
        assertThat(raftMembers(cluster, leader, CH)).isEqualTo(allFour);
      });
      cluster.sendAll(CH, 4, 10);
      cluster.sendAll(CH, via, 10);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(cluster.hashes(4, CH)).isEqualTo(cluster.hashes(1, CH));
        assertThat(cluster.hashes(2, CH)).isEqualTo(cluster.hashes(1, CH)).isEqualTo(cluster.hashes(3, CH));
      });
      // 30 transactions and the config update that added orderer4
      assertThat(cluster.txIdsInLedger(4, CH)).hasSize(31).doesNotHaveDuplicates();

      // Remove the current leader's consenter: it hands off and leaves; the other three go on.
      int leaving = leaderOf(cluster, CH);
      List<Consenter> rest = new ArrayList<>();
      List<String> restEndpoints = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        if (i + 1 != leaving) {
          rest.add(like.consenters().get(i));
          restEndpoints.add(like.ordererEndpoints().get(i));
        }
      }
      BroadcastResponse removed = update(cluster, leaving, withConsenters(like, CH, rest, restEndpoints));
      assertThat(removed.getStatus()).as(removed.getInfo()).isEqualTo(Status.SUCCESS);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.orderer(leaving).chain(CH).isEmpty());
      int stays = leaving % 4 + 1;
      Set<String> three = new TreeSet<>(allFour);
      three.remove(cluster.fixture.orderer(leaving).name());
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        int leader = leaderOf(cluster, CH);
        assertThat(leader).isPositive().isNotEqualTo(leaving);
        assertThat(raftMembers(cluster, leader, CH)).isEqualTo(three);
      });
      cluster.sendAll(CH, stays, 10);
      List<Integer> remaining = new ArrayList<>(List.of(1, 2, 3, 4));
      remaining.remove(Integer.valueOf(leaving));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(cluster.hashes(remaining.get(0), CH)).isEqualTo(cluster.hashes(remaining.get(1), CH))
            .isEqualTo(cluster.hashes(remaining.get(2), CH));
        assertThat(cluster.txIdsInLedger(remaining.get(0), CH)).hasSize(40 + 2).doesNotHaveDuplicates();
      });
      assertThat(admin(cluster, leaving).info(CH).statusCode()).isEqualTo(404);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_consenter_change_is_refused_while_too_few_consenters_are_active() throws Exception {
    try (TestCluster cluster = cluster()) {
      cluster.startAll();
      createGrow(cluster);
      int leader = leaderOf(cluster, CH);
      int down = leader % 3 + 1;
      cluster.stop(down);
      // The leader counts a follower active for one maximum election timeout (1.2 s here) after its last answer.
      Thread.sleep(2_500);
      ChannelConfig like = cluster.fixture.channelConfig("mychannel");
      // 2 of 3 active; with orderer4 the set is 4 and needs 3 active besides the new one.
      BroadcastResponse refused = update(cluster, leader, withConsenters(like, CH, like.consenters(), like.ordererEndpoints()));
      assertThat(refused.getStatus()).isEqualTo(Status.BAD_REQUEST);
      assertThat(refused.getInfo()).contains("not healthy enough to add consenter orderer4.example.com")
          .contains("2 of the 4 consenters after the change are active, 3 are needed");
      assertThat(inForce(cluster, leader, CH).consenters()).hasSize(3);
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void a_consenter_renews_its_tls_certificate_and_comes_back_with_it() throws Exception {
    try (TestCluster cluster = cluster()) {
      cluster.startAll();
      createGrow(cluster);
      int leader = leaderOf(cluster, CH);
      int renewed = leader % 3 + 1;
      cluster.sendAll(CH, renewed, 5);

      // A new certificate for the same key from the orderer org's TLS CA, as `raftswarm rotate-certs` issues one.
      Path tls = cluster.fixture.orderer(renewed).tlsDir();
      X509Certificate old = Pem.readCertificate(tls.resolve("server.crt"));
      OrgSpec org = cluster.fixture.crypto().org("OrdererOrg");
      Path caCert = cluster.fixture.crypto().tlsCaCert(org);
      CertificateAuthority ca = CertificateAuthority.load(Pem.readCertificate(caCert),
          Pem.readPrivateKey(caCert.resolveSibling("priv_sk")));
      X509Certificate fresh = ca.issue(CertificateRequest.tls(cluster.fixture.orderer(renewed).name(),
          List.of("127.0.0.1", "localhost")), old.getPublicKey());
      byte[] freshPem = Pem.encode(fresh).getBytes(StandardCharsets.US_ASCII);

      ChannelConfig current = inForce(cluster, leader, CH);
      List<Consenter> consenters = new ArrayList<>(current.consenters());
      Consenter was = consenters.get(renewed - 1);
      consenters.set(renewed - 1, new Consenter(was.id(), was.host(), was.port(), freshPem, freshPem));
      BroadcastResponse response = update(cluster, leader, withConsenters(current, CH, consenters, current.ordererEndpoints()));
      assertThat(response.getStatus()).as(response.getInfo()).isEqualTo(Status.SUCCESS);
      await().atMost(Duration.ofSeconds(20)).until(() -> List.of(1, 2, 3).stream().allMatch(id ->
          java.util.Arrays.equals(inForce(cluster, id, CH).consenters().get(renewed - 1).serverTlsCertPem(), freshPem)));

      // The orderer restarts with the new certificate: it is the same Raft member, and the others
      // accept its cluster and forwarding calls by the new certificate.
      cluster.stop(renewed);
      Files.write(tls.resolve("server.crt"), freshPem);
      cluster.start(renewed);
      assertThat(cluster.orderer(renewed).chain(CH).orElseThrow().nodeId()).isEqualTo(renewed);
      await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(cluster, CH) > 0);
      cluster.sendAll(CH, renewed, 5);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(renewed, CH)).isEqualTo(cluster.hashes(leader, CH)));
      assertThat(cluster.txIdsInLedger(renewed, CH)).hasSize(10 + 1).doesNotHaveDuplicates();
    }
  }
}
