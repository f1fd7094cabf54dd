package io.raftswarm.swarm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.GrpcChannels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's official Gateway client (org.hyperledger.fabric:fabric-gateway 1.5.0 from Maven
 * Central) against our peers' Gateway service, unchanged: submit and evaluate example02 and
 * fabcar through a peer of each org (the gateway collects the other org's endorsement itself),
 * chaincode events from a given block and as they commit, and Fabric's error shapes for a
 * failing chaincode call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class FabricGatewayCompatibilityIT {
  private static final String CHANNEL = LocalFabric.CHANNEL;
  private static final String AND = "AND('Org1MSP.peer','Org2MSP.peer')";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private LocalFabric fabric;
  private FabricClient deployer;

  @BeforeAll
  void startNetwork() throws Exception {
    fabric = new LocalFabric(dir, 3, 1, new BatchSettings(Duration.ofMillis(200), 10, 1024 * 1024, 512 * 1024));
    fabric.startOrderers();
    for (String peer : fabric.peerNames()) {
      fabric.startPeer(peer);
    }
    // Setting the network up is ours (join, deploy); everything under test goes through fabric-gateway.
    deployer = FabricClient.connect(fabric.profile, "User1@org1");
    for (String peer : fabric.peerNames()) {
      deployer.joinChannel(peer, fabric.fixture.genesisBlock(CHANNEL));
    }
    for (var cc : List.of(List.of("mycc", "example02"), List.of("fabcar", "fabcar"))) {
      List<String> init = cc.get(1).equals("example02") ? List.of("init", "a", "100", "b", "200") : List.of("initLedger");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
        deployer.deployIfAbsent(DeployRequest.of(CHANNEL, cc.get(0), cc.get(1), init, AND));
        return true;
      });
      for (String peer : fabric.peerNames()) {
        await().atMost(WAIT).until(() -> deployer.chaincodeDefinition(peer, CHANNEL, cc.get(0)).isPresent());
      }
    }
  }

  @AfterAll
  void stopNetwork() {
    if (deployer != null) {
      deployer.close();
    }
    if (fabric != null) {
      fabric.close();
    }
  }

  /** A fabric-gateway connection as Fabric's samples make one: X509 identity, private-key signer, a TLS gRPC channel. */
  private <T> T withGateway(String org, int peer, GatewayCall<T> call) throws Exception {
    SigningIdentity user = fabric.fixture.user(org, "User1");
    var node = fabric.fixture.peer(org, peer);
    ManagedChannel channel = GrpcChannels.open(node.endpoint(), fabric.fixture.clientTls(org));
    try (var gateway = Gateway.newInstance()
        .identity(new X509Identity(user.mspId(), Identities.readX509Certificate(
            Identities.toPemString(user.certificate()))))
        .signer(Signers.newPrivateKeySigner(user.privateKey()))
        .connection(channel)
        .evaluateOptions(o -> o.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS))
        .endorseOptions(o -> o.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS))
        .submitOptions(o -> o.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS))
        .commitStatusOptions(o -> o.withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS))
        .connect()) {
      return call.apply(gateway.getNetwork(CHANNEL));
    } finally {
      channel.shutdownNow();
    }
  }

  private interface GatewayCall<T> {
    T apply(Network network) throws Exception;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void example02_submits_and_evaluates_through_a_peer_of_each_org() throws Exception {
    withGateway("Org1", 0, network -> {
      Contract mycc = network.getContract("mycc");
      int before = Integer.parseInt(text(mycc.evaluateTransaction("query", "a")));
      mycc.submitTransaction("invoke", "a", "b", "10");
      assertThat(text(mycc.evaluateTransaction("query", "a"))).isEqualTo(Integer.toString(before - 10));
      return null;
    });
    withGateway("Org2", 0, network -> {
      Contract mycc = network.getContract("mycc");
      int before = Integer.parseInt(text(mycc.evaluateTransaction("query", "b")));
      var commit = mycc.newProposal("invoke").addArguments("b", "a", "5").build().endorse().submitAsync();
      var status = commit.getStatus();
      assertThat(status.isSuccessful()).isTrue();
      assertThat(status.getCode().name()).isEqualTo("VALID");
      assertThat(status.getBlockNumber()).isPositive();
      assertThat(text(mycc.evaluateTransaction("query", "b"))).isEqualTo(Integer.toString(before - 5));
      return null;
    });
  }

  @Test
  void fabcar_creates_and_reads_a_car() throws Exception {
    withGateway("Org1", 0, network -> {
      Contract fabcar = network.getContract("fabcar");
      fabcar.submitTransaction("createCar", "CAR_GW1", "Tesla", "Model 3", "red", "Ada");
      assertThat(text(fabcar.evaluateTransaction("queryCar", "CAR_GW1"))).contains("Tesla", "Ada");
      return null;
    });
  }

  @Test
  void chaincode_events_reach_gateway_listeners_from_a_block_and_as_they_commit() throws Exception {
    withGateway("Org1", 0, network -> {
      Contract fabcar = network.getContract("fabcar");
      var created = fabcar.newProposal("createCar").addArguments("CAR_EV1", "Fiat", "500", "blue", "Grace").build()
          .endorse().submitAsync();
      long block = created.getStatus().getBlockNumber();
      try (var events = network.newChaincodeEventsRequest("fabcar").startBlock(block).build().getEvents()) {
        ChaincodeEvent event = events.next();
        assertThat(event.getEventName()).isEqualTo("CreateCar");
        assertThat(event.getTransactionId()).isEqualTo(created.getTransactionId());
        assertThat(event.getBlockNumber()).isEqualTo(block);
        assertThat(text(event.getPayload())).contains("CAR_EV1", "Grace");
      }
      // A listener from the next commit on (the client's default) sees an event committed after it started.
      var live = network.getChaincodeEvents("fabcar");
      var next = java.util.concurrent.CompletableFuture.supplyAsync(live::next);
      Thread.sleep(500);
      // A new car, not a change of CAR_EV1: the other org's peer may not have committed CAR_EV1 yet
      // (the client waited for this gateway's peer only), and its endorsement would fail, as in Fabric.
      fabcar.submitTransaction("createCar", "CAR_EV2", "Fiat", "Panda", "white", "Linus");
      ChaincodeEvent changed = next.get(60, java.util.concurrent.TimeUnit.SECONDS);
      live.close();
      assertThat(changed.getEventName()).isEqualTo("CreateCar");
      assertThat(text(changed.getPayload())).contains("CAR_EV2", "Linus");
      return null;
    });
  }

  @Test
  void blocks_filtered_blocks_and_blocks_with_private_data_stream_from_the_peers_deliver_services() throws Exception {
    withGateway("Org2", 0, network -> {
      Contract fabcar = network.getContract("fabcar");
      var created = fabcar.newProposal("createCar").addArguments("CAR_BLK1", "VW", "Golf", "green", "Barbara").build()
          .endorse().submitAsync();
      long block = created.getStatus().getBlockNumber();
      try (var blocks = network.newBlockEventsRequest().startBlock(block).build().getEvents()) {
        var b = blocks.next();
        assertThat(b.getHeader().getNumber()).isEqualTo(block);
        assertThat(b.getData().getDataCount()).isPositive();
      }
      try (var filtered = network.newFilteredBlockEventsRequest().startBlock(block).build().getEvents()) {
        var fb = filtered.next();
        assertThat(fb.getChannelId()).isEqualTo(CHANNEL);
        assertThat(fb.getNumber()).isEqualTo(block);
        var tx = fb.getFilteredTransactionsList().stream().filter(t -> t.getTxid().equals(created.getTransactionId()))
            .findFirst().orElseThrow();
        assertThat(tx.getTxValidationCode().name()).isEqualTo("VALID");
        assertThat(tx.getType().name()).isEqualTo("ENDORSER_TRANSACTION");
        var event = tx.getTransactionActions().getChaincodeActions(0).getChaincodeEvent();
        assertThat(event.getChaincodeId()).isEqualTo("fabcar");
        assertThat(event.getEventName()).isEqualTo("CreateCar");
        assertThat(event.getTxId()).isEqualTo(created.getTransactionId());
        assertThat(event.getPayload().isEmpty()).as("filtered events carry no payload, as in Fabric").isTrue();
      }
      try (var withPrivateData = network.newBlockAndPrivateDataEventsRequest().startBlock(block).build().getEvents()) {
        var bp = withPrivateData.next();
        assertThat(bp.getBlock().getHeader().getNumber()).isEqualTo(block);
        assertThat(bp.getPrivateDataMapMap()).as("the built-in chaincodes keep no private data").isEmpty();
      }
      // From the next commit on (the client's default start).
      var live = network.getFilteredBlockEvents();
      var next = java.util.concurrent.CompletableFuture.supplyAsync(live::next);
      Thread.sleep(500);
      fabcar.submitTransaction("createCar", "CAR_BLK2", "VW", "Polo", "black", "Tim"); // a new key: see CAR_EV2
      var later = next.get(60, java.util.concurrent.TimeUnit.SECONDS);
      live.close();
      assertThat(later.getNumber()).isGreaterThan(block);
      return null;
    });
  }

  @Test
  void a_failing_chaincode_call_comes_back_as_fabric_reports_it() throws Exception {
    withGateway("Org1", 0, network -> {
      Contract mycc = network.getContract("mycc");
      assertThatThrownBy(() -> mycc.submitTransaction("invoke", "a", "nobody-has-this-key", "1"))
          .isInstanceOfSatisfying(EndorseException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
            assertThat(e.getDetails()).isNotEmpty();
            assertThat(e.getDetails()).allSatisfy(d -> assertThat(d.getMspId()).isNotEmpty());
          });
      assertThatThrownBy(() -> mycc.evaluateTransaction("query", "no-such-key"))
          .isInstanceOf(GatewayException.class);
      return null;
    });
  }
}
