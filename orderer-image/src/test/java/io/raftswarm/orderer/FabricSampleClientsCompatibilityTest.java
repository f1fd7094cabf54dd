package io.raftswarm.orderer;

import static io.raftswarm.orderer.FabricSampleClients.MAX_UINT64;
import static io.raftswarm.orderer.FabricSampleClients.broadcastMsg;
import static io.raftswarm.orderer.FabricSampleClients.deliverStdoutSeek;
import static io.raftswarm.orderer.FabricSampleClients.seekEnvelope;
import static io.raftswarm.orderer.FabricSampleClients.specified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.GrpcChannels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNextCommit;
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
 * Fabric v2.5's own sample clients against three in-JVM orderers, with the envelopes built
 * exactly as {@code broadcast_msg} and {@code deliver_stdout} build them ({@link FabricSampleClients}),
 * and Fabric's status codes for what Fabric refuses. Orderers 1 and 2 run with
 * {@code ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED=false} and are called over TLS without a client
 * certificate (the sample clients have none); orderer 3 keeps the default (required).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FabricSampleClientsCompatibilityTest {
  private static final String CH = "mychannel";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(700);

  @TempDir
  static Path dir;
  private TestCluster cluster;
  private SigningIdentity user;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 0);
    cluster.env(1, "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false").env(2, "ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "false");
    cluster.startAll();
    user = cluster.fixture.user("Org1", "User1");
    await().atMost(WAIT).until(() -> cluster.agreedLeader(CH) > 0);
  }

  @AfterAll
  void stopCluster() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A TLS connection without client certificate, as the sample clients would have with TLS. */
  private ManagedChannel noCert(int id) {
    ManagedChannel c = FabricSampleClients.tlsWithoutClientCertificate(cluster.fixture.orderer(id).endpoint(), cluster.fixture.tlsRoots());
    channels.add(c);
    return c;
  }

  /** A follower among the orderers that take clients without certificate. */
  private int follower() {
    return cluster.agreedLeader(CH) == 1 ? 2 : 1;
  }

  @Test
  @Order(1)
  void broadcast_msg_message_envelopes_without_txid_are_ordered_and_an_identical_resend_is_a_duplicate() throws Exception {
    Envelope first = broadcastMsg(CH, user, 1024);
    Envelope second = broadcastMsg(CH, user, 1024);
    assertThat(Envelopes.parse(first).txId()).isEmpty();
    for (int id = 1; id <= 2; id++) {
      try (var broadcast = new FabricSampleClients.Broadcast(noCert(id))) {
        Envelope msg = id == 1 ? first : second;
        BroadcastResponse r = sendUntilLeader(broadcast, msg);
        assertThat(r.getStatus()).as("via orderer %d: %s", id, r.getInfo()).isEqualTo(Status.SUCCESS);
      }
    }
    await().atMost(WAIT).untilAsserted(() -> {
      for (int id = 1; id <= 3; id++) {
        assertThat(envelopesInLedger(id)).as("orderer %d", id).contains(first.toByteString(), second.toByteString());
      }
    });
    try (var broadcast = new FabricSampleClients.Broadcast(noCert(1))) {
      BroadcastResponse again = broadcast.send(first, WAIT);
      assertThat(again.getStatus()).isEqualTo(Status.BAD_REQUEST);
      assertThat(again.getInfo()).startsWith("duplicate transaction sha256:");
    }
    assertThat(envelopesInLedger(1).stream().filter(first.toByteString()::equals)).hasSize(1);
  }

  @Test
  @Order(2)
  void endorser_transactions_and_messages_with_a_txid_are_ordered_through_a_follower() throws Exception {
    Envelope endorserTx = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CH, ByteString.copyFromUtf8("tx"), user);
    Envelope messageWithTxId = Envelopes.signed(HeaderType.MESSAGE, CH,
        ConfigValue.newBuilder().setValue(ByteString.copyFromUtf8("m")).build().toByteString(), user);
    try (var broadcast = new FabricSampleClients.Broadcast(noCert(follower()))) {
      assertThat(sendUntilLeader(broadcast, endorserTx).getStatus()).isEqualTo(Status.SUCCESS);
      assertThat(sendUntilLeader(broadcast, messageWithTxId).getStatus()).isEqualTo(Status.SUCCESS);
      BroadcastResponse duplicate = broadcast.send(endorserTx, WAIT);
      assertThat(duplicate.getStatus()).isEqualTo(Status.BAD_REQUEST);
      assertThat(duplicate.getInfo()).startsWith("duplicate transaction " + Envelopes.parse(endorserTx).txId());
    }
  }

  @Test
  @Order(3)
  void config_updates_config_and_orderer_transactions_unknown_channels_and_bad_signatures_get_fabrics_statuses() throws Exception {
    Envelope configUpdate = FabricSampleClients.signedEnvelope(HeaderType.CONFIG_UPDATE, CH, user, ConfigUpdateEnvelope.getDefaultInstance());
    Envelope config = FabricSampleClients.signedEnvelope(HeaderType.CONFIG, CH, user, ConfigValue.getDefaultInstance());
    Envelope ordererTx = FabricSampleClients.signedEnvelope(HeaderType.ORDERER_TRANSACTION, CH, user, ConfigValue.getDefaultInstance());
    Envelope unknownChannel = broadcastMsg("nosuchchannel", user, 10);
    Envelope forged = broadcastMsg(CH, user, 10).toBuilder().setSignature(ByteString.copyFrom(new byte[70])).build();
    Envelope forgedConfigUpdate = configUpdate.toBuilder().setSignature(ByteString.copyFrom(new byte[70])).build();
    Envelope stranger = broadcastMsg(CH, strangerIdentity(), 10);
    try (var broadcast = new FabricSampleClients.Broadcast(noCert(1))) {
      BroadcastResponse r = broadcast.send(configUpdate, WAIT);
      assertThat(r.getStatus()).isEqualTo(Status.BAD_REQUEST);
      // an empty update names no channel: Fabric's configtx refuses it the same way
      assertThat(r.getInfo()).contains("error applying config update to existing channel '" + CH + "'")
          .contains("config update for channel '' but envelope for channel '" + CH + "'");
      assertThat(broadcast.send(config, WAIT).getStatus()).isEqualTo(Status.BAD_REQUEST);
      assertThat(broadcast.send(ordererTx, WAIT).getStatus()).isEqualTo(Status.BAD_REQUEST);
      assertThat(broadcast.send(unknownChannel, WAIT).getStatus()).isEqualTo(Status.BAD_REQUEST);
      // Without client certificates, the envelope signature is what keeps strangers out.
      assertThat(broadcast.send(forged, WAIT).getStatus()).isEqualTo(Status.FORBIDDEN);
      assertThat(broadcast.send(forgedConfigUpdate, WAIT).getStatus()).isEqualTo(Status.FORBIDDEN);
      assertThat(broadcast.send(stranger, WAIT).getStatus()).isEqualTo(Status.FORBIDDEN);
    }
  }

  @Test
  @Order(4)
  void deliver_stdout_seek_minus_2_streams_every_block_and_keeps_streaming_new_ones() throws Exception {
    long height = settledHeight();
    try (var deliver = new FabricSampleClients.Deliver(noCert(1))) {
      deliver.send(deliverStdoutSeek(CH, user, -2));
      for (long n = 0; n < height; n++) {
        assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(n);
      }
      assertThat(deliver.next(QUIET)).as("no status: the stop is 2^64-1").isNull();
      broadcastOne(broadcastMsg(CH, user, 100));
      DeliverResponse next = deliver.response(WAIT);
      assertThat(next.getBlock().getHeader().getNumber()).isEqualTo(height);
      assertThat(hashOf(next.getBlock())).isEqualTo(cluster.hashes(1, CH).get((int) height));
    }
  }

  @Test
  @Order(5)
  void deliver_stdout_seek_minus_1_starts_at_the_newest_block() throws Exception {
    long height = settledHeight();
    try (var deliver = new FabricSampleClients.Deliver(noCert(2))) {
      deliver.send(deliverStdoutSeek(CH, user, -1));
      assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(height - 1);
      assertThat(deliver.next(QUIET)).isNull();
      broadcastOne(broadcastMsg(CH, user, 100));
      assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(height);
    }
  }

  @Test
  @Order(6)
  void deliver_stdout_seek_n_sends_block_n_then_success_and_the_stream_takes_another_request() throws Exception {
    try (var deliver = new FabricSampleClients.Deliver(noCert(1))) {
      deliver.send(deliverStdoutSeek(CH, user, 1));
      assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(1);
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.SUCCESS);
      deliver.send(deliverStdoutSeek(CH, user, 0));
      Block genesis = deliver.response(WAIT).getBlock();
      assertThat(genesis.getHeader().getNumber()).isZero();
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.SUCCESS);
    }
  }

  @Test
  @Order(7)
  void fail_if_not_ready_ends_with_not_found_and_fabric_closes_the_stream_after_an_error_status() throws Exception {
    long height = settledHeight();
    SeekInfo failIfNotReady = SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance())).setStop(specified(MAX_UINT64))
        .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY).build();
    try (var deliver = new FabricSampleClients.Deliver(noCert(1))) {
      deliver.send(seekEnvelope(CH, user, failIfNotReady));
      for (long n = 0; n < height; n++) {
        assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(n);
      }
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.NOT_FOUND);
      assertThat(deliver.next(WAIT)).isEqualTo(FabricSampleClients.Deliver.COMPLETED);
    }
    assertThat(singleStatus(1, seekEnvelope(CH, user, seek(specified(height + 1), specified(MAX_UINT64)))))
        .as("a start beyond the height").isEqualTo(Status.NOT_FOUND);
    assertThat(singleStatus(1, seekEnvelope(CH, user, seek(specified(2), specified(1))))).as("start after stop")
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(singleStatus(1, deliverStdoutSeek("nosuchchannel", user, -2))).isEqualTo(Status.NOT_FOUND);
    assertThat(singleStatus(1, deliverStdoutSeek(CH, strangerIdentity(), -2))).isEqualTo(Status.FORBIDDEN);
  }

  @Test
  @Order(8)
  void header_with_sig_sends_blocks_without_data_except_config_blocks() throws Exception {
    long height = settledHeight();
    SeekInfo headers = seek(SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build(), specified(height - 1))
        .toBuilder().setContentType(SeekInfo.SeekContentType.HEADER_WITH_SIG).build();
    List<String> hashes = cluster.hashes(1, CH);
    try (var deliver = new FabricSampleClients.Deliver(noCert(1))) {
      deliver.send(seekEnvelope(CH, user, headers));
      for (long n = 0; n < height; n++) {
        Block b = deliver.response(WAIT).getBlock();
        assertThat(b.hasData()).as("block %d has data", n).isEqualTo(n == 0);
        assertThat(hashOf(b)).isEqualTo(hashes.get((int) n));
        assertThat(b.getMetadata().getMetadataCount()).isPositive();
      }
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.SUCCESS);
    }
  }

  @Test
  @Order(9)
  void next_commit_waits_for_the_block_written_next() throws Exception {
    SeekPosition nextCommit = SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build();
    long height = settledHeight();
    try (var deliver = new FabricSampleClients.Deliver(noCert(1))) {
      deliver.send(seekEnvelope(CH, user, seek(nextCommit, nextCommit)));
      assertThat(deliver.next(QUIET)).isNull();
      broadcastOne(broadcastMsg(CH, user, 100));
      assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(height);
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.SUCCESS);
    }
  }

  @Test
  @Order(10)
  void an_orderer_requiring_client_certificates_refuses_a_client_without_one() throws Exception {
    ManagedChannel plain = noCert(3);
    try (var deliver = new FabricSampleClients.Deliver(plain)) {
      deliver.send(deliverStdoutSeek(CH, user, 0));
      assertThat(deliver.next(WAIT)).isInstanceOf(StatusRuntimeException.class);
    }
    ManagedChannel mutual = GrpcChannels.open(cluster.fixture.orderer(3).endpoint(), cluster.fixture.clientTls("Org1"));
    channels.add(mutual);
    try (var deliver = new FabricSampleClients.Deliver(mutual)) {
      deliver.send(deliverStdoutSeek(CH, user, 0));
      assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isZero();
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.SUCCESS);
    }
  }

  @Test
  @Order(11)
  void without_a_raft_leader_strict_requests_get_service_unavailable_and_best_effort_ones_are_served() throws Exception {
    SeekPosition nextCommit = SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build();
    SeekInfo waitStrict = seek(nextCommit, specified(MAX_UINT64));
    SeekInfo waitBestEffort = waitStrict.toBuilder().setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT).build();
    try (var strict = new FabricSampleClients.Deliver(noCert(1)); var bestEffort = new FabricSampleClients.Deliver(noCert(1))) {
      strict.send(seekEnvelope(CH, user, waitStrict));
      bestEffort.send(seekEnvelope(CH, user, waitBestEffort));
      assertThat(strict.next(QUIET)).isNull();
      cluster.stop(2);
      cluster.stop(3);
      // Orderer 1 alone cannot have a leader: the waiting STRICT stream is aborted, as Fabric does.
      assertThat(strict.response(WAIT).getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
      assertThat(strict.next(WAIT)).isEqualTo(FabricSampleClients.Deliver.COMPLETED);
      assertThat(bestEffort.next(QUIET)).as("BEST_EFFORT keeps waiting").isNull();
    }
    SeekInfo all = seek(SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build(),
        SeekPosition.newBuilder().setNewest(org.hyperledger.fabric.protos.orderer.SeekNewest.getDefaultInstance()).build());
    assertThat(singleStatus(1, seekEnvelope(CH, user, all))).isEqualTo(Status.SERVICE_UNAVAILABLE);
    try (var deliver = new FabricSampleClients.Deliver(noCert(1))) {
      deliver.send(seekEnvelope(CH, user, all.toBuilder().setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT).build()));
      long height = cluster.height(1, CH);
      for (long n = 0; n < height; n++) {
        assertThat(deliver.response(WAIT).getBlock().getHeader().getNumber()).isEqualTo(n);
      }
      assertThat(deliver.response(WAIT).getStatus()).isEqualTo(Status.SUCCESS);
    }
  }

  /** The height once every orderer has applied the last block (a SUCCESS answer only waits for the leader). */
  private long settledHeight() {
    await().atMost(WAIT).until(() -> cluster.height(1, CH) == cluster.height(2, CH) && cluster.height(2, CH) == cluster.height(3, CH));
    return cluster.height(1, CH);
  }

  private static SeekInfo seek(SeekPosition start, SeekPosition stop) {
    return SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build();
  }

  /** The status of a request expected to be answered with a status only. */
  private Status singleStatus(int id, Envelope seek) throws Exception {
    try (var deliver = new FabricSampleClients.Deliver(noCert(id))) {
      deliver.send(seek);
      return deliver.response(WAIT).getStatus();
    }
  }

  private void broadcastOne(Envelope envelope) throws Exception {
    try (var broadcast = new FabricSampleClients.Broadcast(noCert(1))) {
      BroadcastResponse r = sendUntilLeader(broadcast, envelope);
      assertThat(r.getStatus()).as(r.getInfo()).isEqualTo(Status.SUCCESS);
    }
  }

  private static BroadcastResponse sendUntilLeader(FabricSampleClients.Broadcast broadcast, Envelope envelope) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      BroadcastResponse r = broadcast.send(envelope, WAIT);
      if (r.getStatus() != Status.SERVICE_UNAVAILABLE || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(100);
    }
  }

  private List<ByteString> envelopesInLedger(int id) {
    var ledger = cluster.orderer(id).chain(CH).orElseThrow().ledger();
    List<ByteString> out = new ArrayList<>();
    for (long n = 1; n < ledger.height(); n++) {
      out.addAll(ledger.block(n).getData().getDataList());
    }
    return out;
  }

  private static String hashOf(Block block) {
    return HexFormat.of().formatHex(BlockHashing.headerHash(block.getHeader()));
  }

  private static SigningIdentity strangerIdentity() {
    CertificateAuthority rogue = CertificateAuthority.create("ca.rogue.example.com", "Rogue", "US", "Nowhere");
    var cert = rogue.issue(new CertificateRequest("User1@org1.example.com", "client", List.of(), List.of(), false, true));
    return new SigningIdentity("Org1MSP", cert.certificate(), cert.keyPair().getPrivate());
  }
}
