package io.raftswarm.peer.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.TransactionsFilter;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.peer.chaincode.Chaincodes;
import io.raftswarm.peer.endorser.LocalMsp;
import io.raftswarm.peer.endorser.ProposalProcessor;
import io.raftswarm.peer.testing.TestTransactions.SignedProposalAndHeader;
import io.raftswarm.peer.testing.TestTransactions;
import io.raftswarm.peer.validation.BlockVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Endorse → (hand-made orderer block) → validate → commit, on one ledger, without any network. */
class CommitPipelineTest {
  private static final String CHANNEL = "mychannel";
  @TempDir Path dir;
  /** Crypto material shared by all tests (the fixture reuses it; genesis blocks stay per test). */
  @TempDir static Path crypto;
  private LocalNetworkFixture net;
  private ChannelLedger ledger;
  private ProposalProcessor org1Peer;
  private ProposalProcessor org2Peer;
  private SigningIdentity user;
  private SigningIdentity orderer;

  @BeforeEach
  void setUp() throws Exception {
    net = LocalNetworkFixture.create(crypto, 1, 1, List.of(CHANNEL));
    Block genesis = Block.parseFrom(Files.readAllBytes(net.genesisBlock(CHANNEL)));
    ledger = ChannelLedger.create(dir.resolve("ledger"), genesis, Chaincodes.builtIn());
    org1Peer = processor("Org1");
    org2Peer = processor("Org2");
    user = net.user("Org1", "User1");
    orderer = net.orderer(1).identity();
  }

  @AfterEach
  void tearDown() throws Exception {
    ledger.close();
  }

  private ProposalProcessor processor(String org) {
    var node = net.peer(org, 0);
    Channels channels = new Channels() {
      @Override
      public Optional<ChannelLedger> ledger(String channelId) {
        return CHANNEL.equals(channelId) ? Optional.of(ledger) : Optional.empty();
      }

      @Override
      public List<String> channelIds() {
        return List.of(CHANNEL);
      }

      @Override
      public boolean join(Block genesis) {
        return false;
      }
    };
    return new ProposalProcessor(node.identity(), LocalMsp.load(node.mspDir(), node.mspId()), channels, Chaincodes.builtIn());
  }

  private Envelope endorsed(SignedProposalAndHeader proposal, ProposalProcessor... endorsers) {
    List<ProposalResponse> responses = new ArrayList<>();
    for (ProposalProcessor endorser : endorsers) {
      ProposalResponse response = endorser.process(proposal.signed());
      assertThat(response.getResponse().getStatus()).as(response.getResponse().getMessage()).isEqualTo(200);
      responses.add(response);
    }
    return TestTransactions.transaction(user, proposal.proposal(), responses);
  }

  private List<TxValidationCode> commit(Envelope... txs) {
    Block block = TestTransactions.block(ledger.height(), ledger.lastBlockHash(), List.of(txs), orderer);
    return ledger.commit(block);
  }

  private String query(ProposalProcessor peer, String... args) {
    ProposalResponse r = peer.process(TestTransactions.invoke(user, CHANNEL, "mycc", args).signed());
    assertThat(r.getResponse().getStatus()).as(r.getResponse().getMessage()).isEqualTo(200);
    return r.getResponse().getPayload().toStringUtf8();
  }

  private void deployExample02() {
    var deploy = TestTransactions.deploy(user, CHANNEL, "mycc", "example02", "AND('Org1MSP.peer','Org2MSP.peer')",
        "init", "a", "100", "b", "200");
    assertThat(commit(endorsed(deploy, org1Peer))).containsExactly(TxValidationCode.VALID);
  }

  @Test
  void deploy_then_three_transfers_gives_70_on_both_peers() {
    deployExample02();
    for (int i = 0; i < 3; i++) {
      var invoke = TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "10");
      assertThat(commit(endorsed(invoke, org1Peer, org2Peer))).containsExactly(TxValidationCode.VALID);
    }
    assertThat(query(org1Peer, "query", "a")).isEqualTo("70");
    assertThat(query(org2Peer, "query", "b")).isEqualTo("230");
    assertThat(ledger.height()).isEqualTo(5);
  }

  /**
   * Whoever sees height N+1 (a commit event, /status, a client comparing peer heights before
   * endorsing) must also see block N's writes, or two peers at "the same height" endorse
   * different read/write sets. A reader holding the state's read lock parks the commit between
   * the block file append and the state update, exactly the window that must stay invisible.
   */
  @Test
  void a_block_counts_in_the_height_only_once_its_writes_are_in_the_state() throws Exception {
    deployExample02();
    long before = ledger.height();
    Envelope tx = endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "10"), org1Peer, org2Peer);
    Block block = TestTransactions.block(before, ledger.lastBlockHash(), List.of(tx), orderer);
    Path blockFile = dir.resolve("ledger").resolve("blocks.bin");
    long fileBefore = Files.size(blockFile);
    CompletableFuture<List<TxValidationCode>> committed = new CompletableFuture<>();
    Thread committer = new Thread(() -> {
      try {
        committed.complete(ledger.commit(block));
      } catch (RuntimeException e) {
        committed.completeExceptionally(e);
      }
    }, "test-committer");
    ledger.state().underReadLock(() -> {
      committer.start();
      // appended to the block file, then parked on the state's write lock behind our read lock
      await().pollInSameThread().atMost(Duration.ofSeconds(30))
          .until(() -> Files.size(blockFile) > fileBefore && committer.getState() == Thread.State.WAITING);
      assertThat(ledger.height()).as("height while block %s's writes are not in the state", before).isEqualTo(before);
      try {
        assertThat(ledger.awaitBlock(before, Duration.ofMillis(100))).as("awaitBlock before the state update").isFalse();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(committed).isNotDone();
      return null;
    });
    assertThat(committed.get(30, TimeUnit.SECONDS)).containsExactly(TxValidationCode.VALID);
    assertThat(ledger.height()).isEqualTo(before + 1);
    assertThat(ledger.state().height()).isEqualTo(before + 1);
    assertThat(ledger.lastBlockHash()).isEqualTo(BlockHashing.headerHash(block.getHeader()));
    assertThat(query(org2Peer, "query", "a")).isEqualTo("90");
  }

  @Test
  void when_two_txs_in_one_block_read_the_same_key_then_the_second_is_an_mvcc_conflict() {
    deployExample02();
    Envelope first = endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "10"), org1Peer, org2Peer);
    Envelope second = endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "30"), org1Peer, org2Peer);
    assertThat(commit(first, second)).containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
    assertThat(query(org1Peer, "query", "a")).isEqualTo("90");
    Block committed = ledger.block(ledger.height() - 1);
    assertThat(TransactionsFilter.codes(committed)).containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
  }

  @Test
  void when_only_one_org_endorses_then_the_and_policy_fails() {
    deployExample02();
    Envelope tx = endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "10"), org1Peer);
    assertThat(commit(tx)).containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    assertThat(query(org2Peer, "query", "a")).isEqualTo("100");
  }

  @Test
  void when_a_tx_is_ordered_twice_then_the_copy_is_a_duplicate() {
    deployExample02();
    Envelope tx = endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "10"), org1Peer, org2Peer);
    assertThat(commit(tx)).containsExactly(TxValidationCode.VALID);
    assertThat(commit(tx)).containsExactly(TxValidationCode.DUPLICATE_TXID);
    assertThat(query(org1Peer, "query", "a")).isEqualTo("90");
  }

  @Test
  void when_the_chaincode_is_not_deployed_then_endorsement_is_refused_with_a_hint() {
    ProposalResponse r = org1Peer.process(TestTransactions.invoke(user, CHANNEL, "mycc", "query", "a").signed());
    assertThat(r.getResponse().getStatus()).isEqualTo(500);
    assertThat(r.getResponse().getMessage()).contains("not deployed", "raftswarm chaincode deploy");
  }

  @Test
  void deploying_twice_is_refused_at_endorsement() {
    deployExample02();
    var again = TestTransactions.deploy(user, CHANNEL, "mycc", "fabcar", "OR('Org1MSP.peer')");
    ProposalResponse r = org1Peer.process(again.signed());
    assertThat(r.getResponse().getStatus()).isEqualTo(409);
    assertThat(r.getResponse().getMessage()).contains("already deployed");
  }

  @Test
  void invalid_transactions_are_logged_one_by_one_up_to_three_per_block_then_counted() {
    ch.qos.logback.classic.Logger committer = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("committer");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    committer.addAppender(lines);
    try {
      Envelope[] junk = new Envelope[5];
      for (int i = 0; i < junk.length; i++) {
        junk[i] = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, CHANNEL, ByteString.copyFromUtf8("not a transaction " + i), user);
      }
      assertThat(commit(junk)).hasSize(5).doesNotContain(TxValidationCode.VALID);
    } finally {
      committer.detachAppender(lines);
    }
    List<String> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).hasSize(ChannelLedger.INVALID_LOGGED_PER_BLOCK + 1);
    assertThat(warnings.subList(0, 3)).allMatch(w -> w.matches("Transaction [0-9a-f]{64} in block \\[1\\] is invalid: .* channel=mychannel"));
    assertThat(warnings.get(3)).isEqualTo("2 more invalid transaction(s) in block [1]: {INVALID_ENDORSER_TRANSACTION=2} channel=mychannel");
  }

  @Test
  void a_block_not_signed_by_an_orderer_is_rejected() {
    Block block = TestTransactions.block(ledger.height(), ledger.lastBlockHash(), List.of(), net.user("Org1", "Admin"));
    assertThatThrownBy(() -> ledger.commit(block))
        .isInstanceOf(BlockVerifier.InvalidBlockException.class)
        .hasMessageContaining("not an orderer org");
  }

  @Test
  void a_block_that_does_not_chain_is_rejected() {
    Block block = TestTransactions.block(ledger.height(), new byte[32], List.of(), orderer);
    assertThatThrownBy(() -> ledger.commit(block)).hasMessageContaining("does not chain");
  }

  @Test
  void after_reopen_without_checkpoint_the_state_is_rebuilt_from_the_ledger() throws Exception {
    deployExample02();
    commit(endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "10"), org1Peer, org2Peer));
    byte[] stateHash = ledger.state().hash();
    byte[] lastHash = ledger.lastBlockHash();
    ledger.close();
    Files.deleteIfExists(dir.resolve("ledger").resolve("state.snapshot"));
    ledger = ChannelLedger.open(dir.resolve("ledger"), Chaincodes.builtIn());
    assertThat(ledger.state().hash()).isEqualTo(stateHash);
    assertThat(ledger.lastBlockHash()).isEqualTo(lastHash).isEqualTo(BlockHashing.headerHash(ledger.block(2).getHeader()));
    assertThat(query(org1Peer, "query", "a")).isEqualTo("90");
    // a tx id seen before the restart is still a duplicate after it
    Envelope tx = endorsed(TestTransactions.invoke(user, CHANNEL, "mycc", "invoke", "a", "b", "1"), org1Peer, org2Peer);
    assertThat(commit(tx)).containsExactly(TxValidationCode.VALID);
  }
  @Test
  void a_config_block_that_removes_an_org_takes_effect_from_the_next_block_and_after_a_reopen() throws Exception {
    deployExample02();
    // endorsed while Org2 is still a member of the channel
    Envelope byOrg2 = endorsed(TestTransactions.invoke(net.user("Org2", "User1"), CHANNEL, "mycc", "invoke", "a", "b", "1"),
        org1Peer, org2Peer);
    Config current = ChannelConfigs.config(ledger.block(0));
    Config.Builder without = current.toBuilder().setSequence(current.getSequence() + 1);
    var application = without.getChannelGroup().getGroupsOrThrow("Application").toBuilder().removeGroups("Org2MSP");
    without.getChannelGroupBuilder().putGroups("Application", application.build());
    Envelope config = Envelopes.signed(HeaderType.CONFIG, CHANNEL,
        ConfigEnvelope.newBuilder().setConfig(without.build()).build().toByteString(), orderer);
    long number = ledger.height();
    Block configBlock = Blocks.withLastConfig(TestTransactions.block(number, ledger.lastBlockHash(), List.of(config), orderer), number);

    assertThat(ledger.commit(configBlock)).containsExactly(TxValidationCode.VALID);
    assertThat(ledger.config().applicationOrgs()).extracting(OrgMsp::mspId).containsExactly("Org1MSP");
    Block next = Blocks.withLastConfig(TestTransactions.block(ledger.height(), ledger.lastBlockHash(), List.of(byOrg2), orderer), number);
    assertThat(ledger.commit(next)).containsExactly(TxValidationCode.BAD_CREATOR_SIGNATURE);

    ledger.close();
    ledger = ChannelLedger.open(dir.resolve("ledger"), Chaincodes.builtIn());
    assertThat(ledger.config().applicationOrgs()).extracting(OrgMsp::mspId).containsExactly("Org1MSP");
  }
}
