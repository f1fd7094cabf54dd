package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.junit.jupiter.api.Test;

class ChannelConfigsTest {
  private static final TestOrgs ORDERERS = new TestOrgs("OrdererMSP", "example.com");
  private static final TestOrgs ORG1 = new TestOrgs("Org1MSP", "org1.example.com");
  private static final TestOrgs ORG2 = new TestOrgs("Org2MSP", "org2.example.com");

  private static ChannelConfig sampleConfig() {
    List<Consenter> consenters = ORDERERS.consenters(3);
    List<String> endpoints = consenters.stream().map(c -> c.host() + ":7050").toList();
    return new ChannelConfig("mychannel", consenters, endpoints,
        new RaftOptions(Duration.ofMillis(250), 12, 2, 7, 8L * 1024 * 1024),
        new BatchSettings(Duration.ofMillis(1500), 42, 4 * 1024 * 1024, 1024 * 1024),
        List.of(ORDERERS.msp()), List.of(ORG2.msp(), ORG1.msp()));
  }

  @Test
  void genesis_block_reads_back_into_the_same_channel_config() {
    ChannelConfig config = sampleConfig();

    ChannelConfig read = ChannelConfigs.fromGenesis(ChannelConfigs.genesisBlock(config));

    assertThat(read).isEqualTo(config);
    assertThat(read.applicationOrgs()).extracting(o -> o.mspId()).containsExactly("Org1MSP", "Org2MSP");
  }

  @Test
  void fewer_orderer_endpoints_than_consenters_read_back_as_listed_as_fabric_allows() {
    // Fabric's test-network shape: three consenters, the orderer org lists one endpoint
    ChannelConfig sample = sampleConfig();
    ChannelConfig oneEndpoint = new ChannelConfig("mychannel", sample.consenters(), List.of(sample.ordererEndpoints().get(1)),
        sample.raftOptions(), sample.batch(), sample.ordererOrgs(), sample.applicationOrgs());

    ChannelConfig read = ChannelConfigs.fromGenesis(ChannelConfigs.genesisBlock(oneEndpoint));

    assertThat(read.ordererEndpoints()).containsExactly(sample.ordererEndpoints().get(1));
    assertThat(read.ordererEndpoint(2)).contains(sample.ordererEndpoints().get(1));
    assertThat(read.ordererEndpoint(1)).isEmpty();
    assertThat(read.ordererEndpoint(3)).isEmpty();
  }

  @Test
  void genesis_block_is_a_hashed_unsigned_config_block_like_configtxgens() throws Exception {
    Instant now = Instant.parse("2024-05-01T10:00:00.123Z");
    Block block = ChannelConfigs.genesisBlock(sampleConfig(), Clock.fixed(now, ZoneOffset.UTC));

    assertThat(block.getHeader().getNumber()).isZero();
    assertThat(block.getHeader().getPreviousHash().isEmpty()).isTrue();
    assertThat(BlockHashing.dataHashMatches(block)).isTrue();
    assertThat(block.getMetadata().getMetadataCount()).isEqualTo(Blocks.METADATA_SLOTS);
    assertThat(LastConfig.parseFrom(Blocks.metadata(block, Blocks.LAST_CONFIG).getValue()).getIndex()).isZero();
    assertThat(Blocks.lastConfig(block)).hasValue(0);

    Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
    ParsedEnvelope parsed = Envelopes.parse(envelope);
    ChannelHeader header = parsed.channelHeader();
    assertThat(parsed.type()).isEqualTo(HeaderType.CONFIG);
    assertThat(header.getChannelId()).isEqualTo("mychannel");
    assertThat(header.getTimestamp().getSeconds()).isEqualTo(now.getEpochSecond());
    assertThat(header.getTxId()).isEqualTo(Envelopes.txId(parsed.signatureHeader().getNonce().toByteArray(), ByteString.EMPTY));
    assertThat(parsed.signatureHeader().getNonce().size()).isEqualTo(Envelopes.NONCE_SIZE);
    assertThat(envelope.getSignature().isEmpty()).isTrue();
  }

  @Test
  void genesis_config_tree_has_the_groups_values_and_policies_of_the_sample_profile() throws Exception {
    Config config = ChannelConfigs.config(ChannelConfigs.genesisBlock(sampleConfig()));
    ConfigGroup channel = config.getChannelGroup();

    assertThat(channel.getValuesMap()).containsOnlyKeys(
        "HashingAlgorithm", "BlockDataHashingStructure", "OrdererAddresses", "Capabilities");
    assertThat(channel.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins");
    assertThat(ImplicitMetaPolicy.parseFrom(channel.getPoliciesMap().get("Admins").getPolicy().getValue()).getRule())
        .isEqualTo(ImplicitMetaPolicy.Rule.MAJORITY);
    assertThat(OrdererAddresses.parseFrom(channel.getValuesMap().get("OrdererAddresses").getValue()).getAddressesList())
        .containsExactly("orderer1.example.com:7050", "orderer2.example.com:7050", "orderer3.example.com:7050");

    ConfigGroup orderer = channel.getGroupsMap().get("Orderer");
    assertThat(orderer.getValuesMap()).containsOnlyKeys(
        "ConsensusType", "BatchSize", "BatchTimeout", "ChannelRestrictions", "Capabilities");
    assertThat(orderer.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins", "BlockValidation");
    ConsensusType consensus = ConsensusType.parseFrom(orderer.getValuesMap().get("ConsensusType").getValue());
    assertThat(consensus.getType()).isEqualTo("etcdraft");
    ConfigMetadata raft = ConfigMetadata.parseFrom(consensus.getMetadata());
    assertThat(raft.getOptions().getTickInterval()).isEqualTo("250ms");
    assertThat(raft.getConsentersList()).extracting(c -> c.getHost() + ":" + c.getPort())
        .containsExactly("orderer1.example.com:7151", "orderer2.example.com:7251", "orderer3.example.com:7351");
    assertThat(org.hyperledger.fabric.protos.orderer.BatchTimeout.parseFrom(orderer.getValuesMap().get("BatchTimeout").getValue())
        .getTimeout()).isEqualTo("1.5s");

    ConfigGroup ordererOrg = orderer.getGroupsMap().get("OrdererMSP");
    assertThat(ordererOrg.getValuesMap()).containsOnlyKeys("MSP", "Endpoints");
    assertThat(OrdererAddresses.parseFrom(ordererOrg.getValuesMap().get("Endpoints").getValue()).getAddressesCount()).isEqualTo(3);
    FabricMSPConfig msp = FabricMSPConfig.parseFrom(MSPConfig.parseFrom(ordererOrg.getValuesMap().get("MSP").getValue()).getConfig());
    assertThat(msp.getName()).isEqualTo("OrdererMSP");
    assertThat(msp.getCryptoConfig().getSignatureHashFamily()).isEqualTo("SHA2");
    assertThat(msp.getCryptoConfig().getIdentityIdentifierHashFunction()).isEqualTo("SHA256");
    assertThat(msp.getFabricNodeOus().getEnable()).isTrue();
    assertThat(msp.getFabricNodeOus().getOrdererOuIdentifier().getOrganizationalUnitIdentifier()).isEqualTo("orderer");
    assertThat(msp.getFabricNodeOus().getClientOuIdentifier().getCertificate()).isEqualTo(msp.getRootCerts(0));

    ConfigGroup application = channel.getGroupsMap().get("Application");
    assertThat(application.getGroupsMap()).containsOnlyKeys("Org1MSP", "Org2MSP");
    Policy writers = application.getGroupsMap().get("Org1MSP").getPoliciesMap().get("Writers").getPolicy();
    assertThat(writers.getType()).isEqualTo(Policy.PolicyType.SIGNATURE.getNumber());
    SignaturePolicyEnvelope envelope = SignaturePolicyEnvelope.parseFrom(writers.getValue());
    List<MSPRole> principals = new ArrayList<>();
    for (MSPPrincipal principal : envelope.getIdentitiesList()) {
      principals.add(MSPRole.parseFrom(principal.getPrincipal()));
    }
    assertThat(principals).extracting(MSPRole::getMspIdentifier, MSPRole::getRole).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Org1MSP", MSPRole.MSPRoleType.ADMIN),
        org.assertj.core.groups.Tuple.tuple("Org1MSP", MSPRole.MSPRoleType.CLIENT));
    assertThat(envelope.getRule().getNOutOf().getN()).isEqualTo(1);
  }

  @Test
  void endpoints_of_consenters_go_to_the_orderer_org_whose_tls_ca_issued_them() throws Exception {
    TestOrgs other = new TestOrgs("Orderer2MSP", "orderers2.example.com");
    List<Consenter> consenters = new ArrayList<>(ORDERERS.consenters(2));
    byte[] tls = other.tlsCertPem("orderer3");
    consenters.add(new Consenter(3, "orderer3.orderers2.example.com", 7051, tls, tls));
    ChannelConfig config = new ChannelConfig("mychannel", consenters, List.of("a:7050", "b:7050", "c:7050"),
        RaftOptions.defaults(), BatchSettings.defaults(), List.of(ORDERERS.msp(), other.msp()), List.of(ORG1.msp()));

    Block block = ChannelConfigs.genesisBlock(config);

    ConfigGroup orderer = ChannelConfigs.config(block).getChannelGroup().getGroupsMap().get("Orderer");
    assertThat(OrdererAddresses.parseFrom(orderer.getGroupsMap().get("Orderer2MSP").getValuesMap().get("Endpoints").getValue())
        .getAddressesList()).containsExactly("c:7050");
    assertThat(ChannelConfigs.fromGenesis(block)).isEqualTo(config);
  }

  @Test
  void fabrics_etcdraft_genesis_block_reads_into_three_consenters_and_its_options() {
    Block block = FabricTestData.block("etcdraftgenesis.block");

    ChannelConfig config = ChannelConfigs.fromGenesis(block);

    assertThat(config.channelId()).isEqualTo("testchannel");
    assertThat(config.consenters()).extracting(Consenter::id, Consenter::clusterEndpoint).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, "127.0.0.1:33000"),
        org.assertj.core.groups.Tuple.tuple(2, "127.0.0.1:33002"),
        org.assertj.core.groups.Tuple.tuple(3, "127.0.0.1:33004"));
    assertThat(config.ordererEndpoints()).containsExactly("127.0.0.1:33000", "127.0.0.1:33002", "127.0.0.1:33004");
    assertThat(config.raftOptions().electionTick()).isEqualTo(10);
    assertThat(config.raftOptions().heartbeatTick()).isEqualTo(1);
    assertThat(config.raftOptions().maxInflightBlocks()).isEqualTo(256);
    assertThat(config.raftOptions().snapshotIntervalSize()).isEqualTo(1048576);
    // Fabric 1.4.0 wrote tick_interval as uint64 milliseconds (100)
    assertThat(config.raftOptions().tickInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.batch().batchTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.batch().maxMessageCount()).isEqualTo(1);
    assertThat(config.batch().absoluteMaxBytes()).isEqualTo(102760448);
    assertThat(config.batch().preferredMaxBytes()).isEqualTo(524288);
    assertThat(config.ordererOrgs()).extracting(o -> o.mspId()).containsExactly("OrdererMSP");
    assertThat(config.applicationOrgs()).extracting(o -> o.mspId()).containsExactly("Org1MSP", "Org2MSP");
    assertThat(config.consenters().get(0).serverTlsCertPem()).isNotEmpty();
  }

  @Test
  void fabrics_genesis_config_survives_a_rewrite_by_us() {
    ChannelConfig fabric = ChannelConfigs.fromGenesis(FabricTestData.block("etcdraftgenesis.block"));

    assertThat(ChannelConfigs.fromGenesis(ChannelConfigs.genesisBlock(fabric))).isEqualTo(fabric);
  }

  @Test
  void a_non_config_block_is_rejected_with_its_type() {
    Block block = FabricTestData.block("block3.pb");

    assertThatThrownBy(() -> ChannelConfigs.fromGenesis(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("block 3")
        .hasMessageContaining("not a config block");
  }
}
