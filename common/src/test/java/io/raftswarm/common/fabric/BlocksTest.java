package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.identity.VerifiedCreator;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class BlocksTest {
  private static final TestOrgs ORDERERS = new TestOrgs("OrdererMSP", "example.com");
  private static final TestOrgs ORG1 = new TestOrgs("Org1MSP", "org1.example.com");
  private static final SigningIdentity ORDERER = ORDERERS.identity("orderer1", "orderer");
  private static final MspRegistry MSPS = new MspRegistry(List.of(ORDERERS.msp(), ORG1.msp()));

  private static final List<ByteString> ENVELOPES =
      List.of(ByteString.copyFromUtf8("tx-one"), ByteString.copyFromUtf8("tx-two"));

  private static Block signedBlock() {
    Block block = Blocks.build(5, new byte[32], ENVELOPES);
    block = Blocks.withLastConfig(block, 2);
    block = Blocks.withRaftMetadata(block, BlockMetadata.newBuilder().addConsenterIds(1).addConsenterIds(2).setRaftIndex(17).build());
    return Blocks.withSignature(block, ORDERER);
  }

  @Test
  void built_block_has_its_data_hash_and_all_five_empty_metadata_slots() {
    Block block = Blocks.build(5, new byte[32], ENVELOPES);

    assertThat(block.getHeader().getNumber()).isEqualTo(5);
    assertThat(BlockHashing.dataHashMatches(block)).isTrue();
    assertThat(block.getMetadata().getMetadataList()).hasSize(5).allMatch(ByteString::isEmpty);
    assertThat(Blocks.lastConfig(block)).isEmpty();
    assertThat(Blocks.raftMetadata(block)).isEmpty();
  }

  @Test
  void signed_block_verifies_and_names_the_orderer() {
    Optional<VerifiedCreator> signer = Blocks.verifySignature(signedBlock(), MSPS);

    assertThat(signer).isPresent();
    assertThat(signer.get().mspId()).isEqualTo("OrdererMSP");
    assertThat(signer.get().role()).contains("orderer");
  }

  @Test
  void signature_value_carries_last_config_and_raft_metadata_like_fabric_2() throws Exception {
    Block block = signedBlock();

    OrdererBlockMetadata value = OrdererBlockMetadata.parseFrom(Blocks.metadata(block, Blocks.SIGNATURES).getValue());
    assertThat(value.getLastConfig().getIndex()).isEqualTo(2);
    assertThat(BlockMetadata.parseFrom(Metadata.parseFrom(value.getConsenterMetadata()).getValue()).getRaftIndex()).isEqualTo(17);
    assertThat(Blocks.lastConfig(block)).hasValue(2);
    assertThat(Blocks.raftMetadata(block).map(BlockMetadata::getRaftIndex)).contains(17L);
  }

  @Test
  void raft_metadata_is_found_in_signatures_when_the_orderer_slot_is_empty() {
    Block block = Blocks.withSlot(signedBlock(), Blocks.ORDERER, ByteString.EMPTY);

    assertThat(Blocks.raftMetadata(block).map(BlockMetadata::getRaftIndex)).contains(17L);
  }

  @Test
  void signature_fails_after_the_header_is_tampered_with() {
    Block block = signedBlock();
    Block tampered = block.toBuilder()
        .setHeader(block.getHeader().toBuilder().setDataHash(ByteString.copyFrom(new byte[32])))
        .build();

    assertThat(Blocks.verifySignature(tampered, MSPS)).isEmpty();
  }

  @Test
  void signature_fails_after_the_signed_metadata_is_tampered_with() {
    Block block = signedBlock();
    Metadata signatures = Blocks.metadata(block, Blocks.SIGNATURES);
    Block tampered = Blocks.withMetadata(block, Blocks.SIGNATURES,
        signatures.toBuilder().setValue(signatures.getValue().concat(ByteString.copyFrom(new byte[] {1}))).build());

    assertThat(Blocks.verifySignature(tampered, MSPS)).isEmpty();
  }

  @Test
  void unsigned_block_has_no_verified_signer() {
    assertThat(Blocks.verifySignature(Blocks.build(1, new byte[32], ENVELOPES), MSPS)).isEmpty();
  }

  @Test
  void signature_by_an_org_outside_the_channel_is_not_accepted() {
    TestOrgs stranger = new TestOrgs("OrdererMSP", "evil.example.com");
    Block block = Blocks.withSignature(Blocks.build(1, new byte[32], ENVELOPES), stranger.identity("orderer1", "orderer"));

    assertThat(Blocks.verifySignature(block, MSPS)).isEmpty();
  }

  @Test
  void block_validation_accepts_only_orderer_org_signers() {
    List<Consenter> consenters = ORDERERS.consenters(1);
    ChannelConfig channel = new ChannelConfig("mychannel", consenters, List.of("orderer1.example.com:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of(ORG1.msp()));
    Block byClient = Blocks.withSignature(Blocks.build(1, new byte[32], ENVELOPES), ORG1.identity("User1", "client"));

    assertThat(Blocks.verifySignature(byClient, channel.msps())).isPresent();
    assertThat(Blocks.verifyOrdererSignature(byClient, channel)).isEmpty();
    assertThat(Blocks.verifyOrdererSignature(signedBlock(), channel)).isPresent();
  }

  @Test
  void genesis_is_a_config_block_and_a_data_block_is_not() {
    ChannelConfig channel = new ChannelConfig("mychannel", ORDERERS.consenters(1), List.of("orderer1.example.com:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp()), List.of());

    assertThat(Blocks.isConfigBlock(ChannelConfigs.genesisBlock(channel))).isTrue();
    assertThat(Blocks.isConfigBlock(signedBlock())).isFalse();
  }

  @Test
  void transactions_filter_holds_one_validation_code_per_transaction() {
    Block block = Blocks.build(1, new byte[32], ENVELOPES);
    assertThat(TransactionsFilter.codes(block)).containsExactly(TxValidationCode.NOT_VALIDATED, TxValidationCode.NOT_VALIDATED);

    Block validated = TransactionsFilter.withCodes(block, List.of(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT));

    assertThat(Blocks.slot(validated, Blocks.TRANSACTIONS_FILTER).toByteArray()).containsExactly(0, 11);
    assertThat(TransactionsFilter.code(validated, 1)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
    assertThat(TransactionsFilter.codes(TransactionsFilter.withAll(block, TxValidationCode.VALID)))
        .containsOnly(TxValidationCode.VALID);
  }
}
