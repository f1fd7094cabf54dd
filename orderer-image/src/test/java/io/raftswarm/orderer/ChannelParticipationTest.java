package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.participation.OsnAdminRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three orderers with the channel participation API: list, info, join a new channel on all of
 * them and order on it, survive restarts, remove joined and bootstrap channels, and Fabric's
 * status codes for the refusals, over mutual TLS with the orderer org's Admin certificate.
 */
class ChannelParticipationTest {
  private static final String NEW = "newchannel";

  @TempDir
  Path dir;

  private TestCluster cluster() {
    TestCluster cluster = new TestCluster(dir, 3, List.of("mychannel", "otherchannel"), TestCluster.testBatch(), 10);
    for (int id = 1; id <= 3; id++) {
      cluster.env(id, "ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:0");
    }
    return cluster;
  }

  private static OsnAdminRequests admin(TestCluster cluster, int id) {
    TlsMaterial adminTls = cluster.fixture.clientTls("OrdererOrg");
    return new OsnAdminRequests("127.0.0.1:" + cluster.orderer(id).adminPort().orElseThrow(), adminTls);
  }

  private static byte[] newChannelBlock(TestCluster cluster) {
    ChannelConfig like = cluster.fixture.channelConfig("mychannel");
    ChannelConfig config = new ChannelConfig(NEW, like.consenters(), like.ordererEndpoints(), like.raftOptions(), like.batch(),
        like.ordererOrgs(), like.applicationOrgs(), like.anchorPeers());
    return ChannelConfigs.genesisBlock(config).toByteArray();
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void join_order_restart_and_remove_through_the_participation_api() throws Exception {
    try (TestCluster cluster = cluster()) {
      cluster.startAll();
      HttpResponse<String> list = admin(cluster, 1).list();
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).isEqualTo("{\"systemChannel\":null,\"channels\":["
          + "{\"name\":\"mychannel\",\"url\":\"/participation/v1/channels/mychannel\"},"
          + "{\"name\":\"otherchannel\",\"url\":\"/participation/v1/channels/otherchannel\"}]}\n");
      HttpResponse<String> info = admin(cluster, 1).info("mychannel");
      assertThat(info.statusCode()).isEqualTo(200);
      assertThat(info.body()).matches("\\{\"name\":\"mychannel\",\"url\":\"/participation/v1/channels/mychannel\","
          + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":\\d+}\n");
      HttpResponse<String> missing = admin(cluster, 1).info(NEW);
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).isEqualTo("{\"error\":\"channel does not exist\"}\n");

      byte[] block = newChannelBlock(cluster);
      for (int id = 1; id <= 3; id++) {
        HttpResponse<String> joined = admin(cluster, id).join(block);
        assertThat(joined.statusCode()).as("join on orderer %d: %s", id, joined.body()).isEqualTo(201);
        assertThat(joined.headers().firstValue("Location")).contains("/participation/v1/channels/" + NEW);
        assertThat(joined.body()).isEqualTo("{\"name\":\"newchannel\",\"url\":\"/participation/v1/channels/newchannel\","
            + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":1}\n");
      }
      HttpResponse<String> again = admin(cluster, 2).join(block);
      assertThat(again.statusCode()).isEqualTo(405);
      assertThat(again.headers().firstValue("Allow")).contains("GET, DELETE");
      assertThat(again.body()).isEqualTo("{\"error\":\"cannot join: channel already exists\"}\n");

      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(NEW) > 0);
      cluster.sendAll(NEW, 2, 12);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.height(1, NEW) > 1
          && cluster.hashes(1, NEW).equals(cluster.hashes(3, NEW)) && cluster.hashes(2, NEW).equals(cluster.hashes(3, NEW)));
      assertThat(cluster.txIdsInLedger(1, NEW)).hasSize(12);

      // A restarted orderer serves the joined channel again from its ledger, and orders on it.
      cluster.stop(1);
      cluster.start(1);
      assertThat(cluster.orderer(1).chain(NEW)).isPresent();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(NEW) > 0);
      cluster.sendAll(NEW, 1, 6);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(1, NEW)).isEqualTo(cluster.hashes(2, NEW)).isEqualTo(cluster.hashes(3, NEW)));

      // Remove the joined channel everywhere: gone now and after a restart.
      for (int id = 1; id <= 3; id++) {
        assertThat(admin(cluster, id).remove(NEW).statusCode()).isEqualTo(204);
      }
      assertThat(admin(cluster, 2).remove(NEW).statusCode()).isEqualTo(404);
      assertThat(admin(cluster, 2).list().body()).doesNotContain(NEW);
      assertThat(dir.resolve("data").resolve(cluster.fixture.orderer(2).name()).resolve("chains").resolve(NEW)).doesNotExist();

      // Remove a bootstrap channel on the orderer that leads it: its genesis block is still in the
      // bootstrap directory, and the orderer must not bring the channel back when it restarts.
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("otherchannel") > 0);
      int leader = cluster.agreedLeader("otherchannel");
      int other = leader % 3 + 1;
      assertThat(admin(cluster, leader).remove("otherchannel").statusCode()).isEqualTo(204);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.orderer(other).chain("otherchannel").orElseThrow().leaderId() > 0
          && cluster.orderer(other).chain("otherchannel").orElseThrow().leaderId() != leader);
      cluster.sendAll("otherchannel", other, 5);
      cluster.stop(leader);
      cluster.stop(other);
      cluster.start(other);
      cluster.start(leader);
      assertThat(cluster.orderer(other).chain(NEW)).isEmpty();
      assertThat(cluster.orderer(leader).chain("otherchannel")).isEmpty();
      assertThat(cluster.orderer(other).chain("otherchannel")).isPresent();
      assertThat(admin(cluster, leader).list().body()).contains("mychannel").doesNotContain("otherchannel");
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader("mychannel") > 0);
      cluster.sendAll("mychannel", leader, 5);

      // Joining the removed bootstrap channel again with its genesis block brings it back.
      byte[] otherBlock = java.nio.file.Files.readAllBytes(cluster.fixture.genesisBlock("otherchannel"));
      assertThat(admin(cluster, leader).join(otherBlock).statusCode()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.hashes(leader, "otherchannel")).isEqualTo(cluster.hashes(other, "otherchannel")));
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void refusals_use_fabrics_status_codes_and_only_admin_certificates_get_in() throws Exception {
    try (TestCluster cluster = cluster()) {
      cluster.start(1);
      OsnAdminRequests admin = admin(cluster, 1);
      HttpResponse<String> notBlock = admin.join("not a block".getBytes());
      assertThat(notBlock.statusCode()).isEqualTo(400);
      assertThat(notBlock.body()).startsWith("{\"error\":\"cannot unmarshal file part config-block into a block");
      Block data = Block.newBuilder().setHeader(org.hyperledger.fabric.protos.common.BlockHeader.newBuilder().setNumber(3)).build();
      HttpResponse<String> empty = admin.join(data.toByteArray());
      assertThat(empty.statusCode()).isEqualTo(400);
      assertThat(empty.body()).contains("invalid join block");
      String port = "127.0.0.1:" + cluster.orderer(1).adminPort().orElseThrow();
      HttpResponse<String> json = admin.send(HttpRequest.newBuilder(URI.create("https://" + port + "/participation/v1/channels"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(json.statusCode()).isEqualTo(400);
      assertThat(json.body()).contains("unsupported Content-Type");
      HttpResponse<String> put = admin.send(HttpRequest.newBuilder(URI.create("https://" + port + "/participation/v1/channels/mychannel"))
          .PUT(HttpRequest.BodyPublishers.noBody()));
      assertThat(put.statusCode()).isEqualTo(405);
      assertThat(put.headers().firstValue("Allow")).contains("GET, DELETE");
      assertThat(admin.info("Bad_Name").statusCode()).isEqualTo(400);

      // A peer org's admin (another TLS CA) and a client without a certificate are refused at TLS.
      TlsMaterial peerAdmin = cluster.fixture.clientTls("Org1");
      assertThatThrownBy(() -> new OsnAdminRequests(port, peerAdmin).list()).isInstanceOf(IOException.class);
      SSLContext noCertificate = SSLContext.getInstance("TLS");
      noCertificate.init(null, io.raftswarm.common.tls.TlsContexts.trustManagerFactory(cluster.fixture.tlsRoots()).getTrustManagers(), null);
      assertThatThrownBy(() -> new OsnAdminRequests(port, noCertificate).list()).isInstanceOf(IOException.class);
    }
  }
}
