package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.bench.OrdererClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
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
 * Seven orderers in one JVM (real gRPC + mutual TLS on loopback, Ratis, file ledgers), two
 * channels. The methods run in order on one cluster: election, ordering through every orderer,
 * refusals, leader loss, and restart with catch-up after the others purged their Raft logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SevenOrderersIntegrationTest {
  private static final String SYS = "syschannel";
  private static final String MY = "mychannel";
  private static final Duration WAIT = Duration.ofSeconds(45);

  @TempDir
  static Path dir;
  private TestCluster cluster;
  private int killed;
  private final List<String> acknowledged = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    // Snapshot every 10 entries so that the logs are purged while a node is down.
    cluster = new TestCluster(dir, 7, List.of(SYS, MY), TestCluster.testBatch(), 10);
    // Fabric's cutting rules only: some tests hold transactions at the leader for BatchTimeout.
    cluster.envAll("ORDERER_CONSENSUS_CUTWHENIDLE", "false");
    cluster.startAll();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void when_seven_orderers_start_then_each_channel_elects_exactly_one_leader() {
    for (String channel : List.of(SYS, MY)) {
      await().atMost(WAIT).until(() -> cluster.agreedLeader(channel) > 0);
    }
  }

  @Test
  @Order(2)
  void when_a_transaction_is_broadcast_to_each_orderer_then_all_seven_deliver_identical_blocks() throws Exception {
    for (String channel : List.of(SYS, MY)) {
      List<String> sent = new ArrayList<>();
      for (int id = 1; id <= 7; id++) {
        Envelope tx = cluster.tx(channel, 1024);
        try (OrdererClient client = cluster.client(id)) {
          assertThat(broadcastUntilOrdered(client, tx)).as("broadcast via orderer %d", id).isEqualTo(Status.SUCCESS);
        }
        sent.add(TestCluster.txId(tx));
      }
      acknowledged.addAll(sent);
      await().atMost(WAIT).untilAsserted(() -> {
        for (int id = 1; id <= 7; id++) {
          assertThat(cluster.txIdsInLedger(id, channel)).as("txs on orderer %d", id).containsAll(sent);
        }
      });
      assertIdenticalChains(channel);
    }
    // Deliver (oldest..newest) from every orderer returns the same chain as the ledgers.
    List<String> expected = cluster.hashes(1, MY);
    for (int id = 1; id <= 7; id++) {
      try (OrdererClient client = cluster.client(id)) {
        List<Status> status = new ArrayList<>();
        List<Block> blocks = client.deliver(seek(MY, SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build(),
            SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build()), 20, status);
        assertThat(status).containsExactly(Status.SUCCESS);
        assertThat(blocks.stream().map(b -> HexFormat.of().formatHex(BlockHashing.headerHash(b.getHeader()))).toList())
            .as("delivered by orderer %d", id).isEqualTo(expected);
      }
    }
  }

  @Test
  @Order(3)
  void forged_oversized_and_unknown_channel_envelopes_and_clients_without_a_valid_certificate_are_refused() throws Exception {
    Envelope valid = cluster.tx(MY, 512);
    Envelope forged = valid.toBuilder().setSignature(flipLastByte(valid.getSignature())).build();
    CertificateAuthority rogueCa = CertificateAuthority.create("ca.rogue.example.com", "Rogue", "US", "Nowhere");
    var rogueCert = rogueCa.issue(new CertificateRequest("User1@org1.example.com", "client", List.of(), List.of(), false, true));
    Envelope strangerSigned = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, MY, ByteString.copyFromUtf8("x"),
        new SigningIdentity("Org1MSP", rogueCert.certificate(), rogueCert.keyPair().getPrivate()));
    Envelope oversized = cluster.tx(MY, 300 * 1024);
    Envelope unknownChannel = cluster.tx("nosuchchannel", 512);
    List<String> refused = List.of(TestCluster.txId(forged), TestCluster.txId(strangerSigned), TestCluster.txId(oversized),
        TestCluster.txId(unknownChannel));

    int follower = followerOf(MY);
    try (OrdererClient client = cluster.client(follower)) {
      List<BroadcastResponse> responses = client.broadcast(List.of(forged, strangerSigned, oversized, unknownChannel), 20);
      assertThat(responses).extracting(BroadcastResponse::getStatus)
          // Fabric answers BAD_REQUEST for a channel the orderer does not have.
          .containsExactly(Status.FORBIDDEN, Status.FORBIDDEN, Status.BAD_REQUEST, Status.BAD_REQUEST);
      assertThat(responses).allSatisfy(r -> assertThat(r.getInfo()).isNotBlank());
    }

    var tlsCert = rogueCa.issue(new CertificateRequest("intruder", null, List.of("localhost"), List.of("127.0.0.1"), false, true));
    TlsMaterial intruder = new TlsMaterial(tlsCert.certificate(), tlsCert.keyPair().getPrivate(), cluster.fixture.tlsRoots());
    try (OrdererClient client = new OrdererClient(cluster.fixture.orderer(follower).endpoint(), intruder);
        var stream = client.broadcastStream()) {
      CompletableFuture<BroadcastResponse> response = stream.send(cluster.tx(MY, 512));
      assertThat(response).failsWithin(Duration.ofSeconds(20));
    }

    // A valid transaction after the refused ones is ordered, and none of the refused ones is anywhere.
    Envelope marker = cluster.tx(MY, 512);
    try (OrdererClient client = cluster.client(follower)) {
      assertThat(broadcastUntilOrdered(client, marker)).isEqualTo(Status.SUCCESS);
    }
    acknowledged.add(TestCluster.txId(marker));
    await().atMost(WAIT).untilAsserted(() -> {
      for (int id = 1; id <= 7; id++) {
        assertThat(cluster.txIdsInLedger(id, MY)).contains(TestCluster.txId(marker)).doesNotContainAnyElementsOf(refused);
      }
    });
  }

  @Test
  @Order(4)
  void when_the_leader_is_killed_then_a_new_leader_is_elected_and_ordering_continues() throws Exception {
    killed = cluster.agreedLeader(MY);
    assertThat(killed).isPositive();
    long killedIndex = cluster.orderer(killed).chain(MY).orElseThrow().cut().appliedIndex();
    cluster.stop(killed);

    await().atMost(WAIT).until(() -> {
      int leader = cluster.agreedLeader(MY);
      return leader != 0 && leader != killed;
    });
    int via = killed % 7 + 1;
    // Enough blocks (MaxMessageCount 5) for several snapshots, so the survivors purge the entries the killed node lacks.
    for (String channel : List.of(MY, SYS)) {
      List<Envelope> txs = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        txs.add(cluster.tx(channel, 1024));
      }
      try (OrdererClient client = cluster.client(via)) {
        pipelineUntilOrdered(client, txs);
      }
      txs.forEach(tx -> acknowledged.add(TestCluster.txId(tx)));
    }
    int leader = cluster.agreedLeader(MY);
    await().atMost(WAIT).until(() -> cluster.orderer(leader).chain(MY).orElseThrow().raftLogStartIndex() > killedIndex + 1);
  }

  @Test
  @Order(5)
  void when_the_killed_orderer_restarts_then_it_catches_up_and_every_orderer_has_identical_chains() throws Exception {
    assertThat(killed).isPositive();
    cluster.start(killed);
    for (String channel : List.of(MY, SYS)) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.height(killed, channel))
          .isEqualTo(cluster.height(killed % 7 + 1, channel)));
    }
    // It takes part again: a transaction through the restarted orderer reaches every ledger.
    Envelope tx = cluster.tx(MY, 1024);
    try (OrdererClient client = cluster.client(killed)) {
      assertThat(broadcastUntilOrdered(client, tx)).isEqualTo(Status.SUCCESS);
    }
    acknowledged.add(TestCluster.txId(tx));
    await().atMost(WAIT).untilAsserted(() -> {
      for (int id = 1; id <= 7; id++) {
        assertThat(cluster.txIdsInLedger(id, MY)).contains(TestCluster.txId(tx));
      }
    });
    for (String channel : List.of(MY, SYS)) {
      await().atMost(WAIT).untilAsserted(() -> assertIdenticalChains(channel));
    }
    // No acknowledged transaction is lost, and none is ordered twice.
    for (int id = 1; id <= 7; id++) {
      List<String> all = new ArrayList<>(cluster.txIdsInLedger(id, MY));
      all.addAll(cluster.txIdsInLedger(id, SYS));
      assertThat(all).containsAll(acknowledged).doesNotHaveDuplicates();
    }
  }

  @Test
  @Order(6)
  void when_one_client_hangs_up_then_other_clients_transactions_forwarded_by_the_same_follower_still_commit() throws Exception {
    int follower = followerOf(MY);
    OrdererClient first = cluster.client(follower);
    try (OrdererClient second = cluster.client(follower)) {
      // The follower opens its stream to the leader while serving the first client's call,
      // which stays open until the first client hangs up.
      OrdererClient.BroadcastStream firstStream = first.broadcastStream();
      BroadcastResponse firstResponse = firstStream.send(cluster.tx(MY, 256)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(firstResponse.getStatus()).as("%s", firstResponse.getInfo()).isEqualTo(Status.SUCCESS);
      OrdererClient.BroadcastStream stream = second.broadcastStream();
      List<CompletableFuture<BroadcastResponse>> inFlight = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // Fewer than MaxMessageCount (5): they wait at the leader for the 200 ms BatchTimeout.
        inFlight.add(stream.send(cluster.tx(MY, 256)));
      }
      Thread.sleep(80);
      first.close();
      for (CompletableFuture<BroadcastResponse> f : inFlight) {
        BroadcastResponse r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.getStatus()).as("%s", r.getInfo()).isEqualTo(Status.SUCCESS);
      }
      stream.close();
    }
  }

  @Test
  @Order(7)
  void each_transaction_of_a_pipelined_burst_through_a_follower_gets_its_own_answer() throws Exception {
    int follower = followerOf(MY);
    try (OrdererClient client = cluster.client(follower)) {
      OrdererClient.BroadcastStream stream = client.broadcastStream();
      List<Envelope> burst = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        burst.add(cluster.tx(MY, 200));
      }
      // The follower forwards in batches; a duplicate in the middle must be refused alone.
      burst.add(30, burst.get(10));
      List<CompletableFuture<BroadcastResponse>> answers = new ArrayList<>();
      burst.forEach(tx -> answers.add(stream.send(tx)));
      for (int i = 0; i < answers.size(); i++) {
        BroadcastResponse r = answers.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (i == 30) {
          assertThat(r.getStatus()).as("the duplicate: %s", r.getInfo()).isEqualTo(Status.BAD_REQUEST);
          assertThat(r.getInfo()).startsWith("duplicate");
        } else {
          assertThat(r.getStatus()).as("tx %d: %s", i, r.getInfo()).isEqualTo(Status.SUCCESS);
        }
      }
      stream.close();
      List<String> sent = burst.stream().map(TestCluster::txId).distinct().toList();
      await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.txIdsInLedger(follower, MY)).containsAll(sent));
    }
  }

  private void assertIdenticalChains(String channel) {
    List<String> reference = cluster.hashes(1, channel);
    for (int id = 2; id <= 7; id++) {
      assertThat(cluster.hashes(id, channel)).as("chain of %s on orderer %d", channel, id).isEqualTo(reference);
    }
  }

  private int followerOf(String channel) {
    int leader = cluster.agreedLeader(channel);
    return leader % 7 + 1;
  }

  /** Retries while no leader can take it; a duplicate answer means an earlier attempt was ordered. */
  private static Status broadcastUntilOrdered(OrdererClient client, Envelope tx) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      BroadcastResponse r = client.broadcast(List.of(tx), 20).get(0);
      if (r.getStatus() != Status.SERVICE_UNAVAILABLE || System.nanoTime() > deadline) {
        return r.getStatus() == Status.BAD_REQUEST && r.getInfo().startsWith("duplicate") ? Status.SUCCESS : r.getStatus();
      }
      Thread.sleep(100);
    }
  }

  private static void pipelineUntilOrdered(OrdererClient client, List<Envelope> txs) throws Exception {
    List<Envelope> remaining = txs;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!remaining.isEmpty()) {
      assertThat(System.nanoTime()).as("all transactions ordered in time").isLessThan(deadline);
      List<BroadcastResponse> responses = client.broadcast(remaining, 30);
      List<Envelope> retry = new ArrayList<>();
      for (int i = 0; i < remaining.size(); i++) {
        BroadcastResponse r = responses.get(i);
        boolean duplicate = r.getStatus() == Status.BAD_REQUEST && r.getInfo().startsWith("duplicate");
        if (r.getStatus() == Status.SERVICE_UNAVAILABLE) {
          retry.add(remaining.get(i));
        } else {
          assertThat(r.getStatus() == Status.SUCCESS || duplicate).as("response %s", r).isTrue();
        }
      }
      remaining = retry;
      if (!retry.isEmpty()) {
        Thread.sleep(100);
      }
    }
  }

  private Envelope seek(String channel, SeekPosition start, SeekPosition stop) {
    SeekInfo info = SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build();
    return Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channel, info.toByteString(), cluster.fixture.user("Org1", "User1"));
  }

  private static ByteString flipLastByte(ByteString bytes) {
    byte[] b = bytes.toByteArray();
    b[b.length - 1] ^= 0x01;
    return ByteString.copyFrom(b);
  }
}
