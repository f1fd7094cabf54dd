package io.raftswarm.common.configtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.common.testing.LocalNetworkFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config updates computed as configtxlator computes them, signed as {@code peer channel
 * signconfigtx} signs them, and applied with Fabric's configtx rules and policies.
 */
class ConfigUpdatesTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;
  private LocalNetworkFixture network;
  private Config genesis;

  @BeforeEach
  void setUp() throws Exception {
    network = LocalNetworkFixture.create(dir.resolve("net"), 1, 0, List.of(CH));
    genesis = ChannelConfigs.config(org.hyperledger.fabric.protos.common.Block.parseFrom(
        Files.readAllBytes(network.genesisBlock(CH))));
  }

  @Test
  void an_orderer_admin_changes_the_batch_size() throws Exception {
    Config next = apply(genesis, withMaxMessageCount(genesis, 77), admin("OrdererOrg"));

    assertThat(next.getSequence()).isEqualTo(genesis.getSequence() + 1);
    assertThat(ChannelConfigs.fromConfig(CH, next).batch().maxMessageCount()).isEqualTo(77);
  }

  @Test
  void a_batch_size_change_without_an_orderer_admin_is_refused() {
    assertThatThrownBy(() -> apply(genesis, withMaxMessageCount(genesis, 77), admin("Org1")))
        .isInstanceOf(ConfigUpdateException.class)
        .hasMessageContaining("policy /Channel/Orderer/Admins not satisfied");
    assertThatThrownBy(() -> apply(genesis, withMaxMessageCount(genesis, 77)))
        .hasMessageContaining("policy /Channel/Orderer/Admins not satisfied");
  }

  @Test
  void an_update_computed_from_an_older_config_is_refused() throws Exception {
    Config next = apply(genesis, withMaxMessageCount(genesis, 77), admin("OrdererOrg"));

    // the same update once more: its change is already in force
    assertThatThrownBy(() -> apply(next, genesis, withMaxMessageCount(genesis, 77), admin("OrdererOrg")))
        .hasMessageContaining("to version 1, but key is at version 1");
  }

  @Test
  void adding_an_org_needs_a_majority_of_the_application_admins() throws Exception {
    Config withOrg3 = withApplicationOrg(genesis, "Org3");

    assertThatThrownBy(() -> apply(genesis, withOrg3, admin("Org1")))
        .hasMessageContaining("policy /Channel/Application/Admins not satisfied");
    Config next = apply(genesis, withOrg3, admin("Org1"), admin("Org2"));

    assertThat(ChannelConfigs.fromConfig(CH, next).applicationOrgs()).extracting(OrgMsp::mspId)
        .containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
  }

  @Test
  void removing_an_org_drops_it_from_the_config() throws Exception {
    // raftswarm's genesis names the org groups by MSP id
    Config.Builder without = genesis.toBuilder();
    var application = without.getChannelGroup().getGroupsOrThrow("Application").toBuilder().removeGroups("Org2MSP");
    without.getChannelGroupBuilder().putGroups("Application", application.build());

    Config next = apply(genesis, without.build(), admin("Org1"), admin("Org2"));

    assertThat(ChannelConfigs.fromConfig(CH, next).applicationOrgs()).extracting(OrgMsp::mspId).containsExactly("Org1MSP");
  }

  @Test
  void an_unchanged_config_is_no_update() {
    assertThatThrownBy(() -> ConfigDiff.compute(CH, genesis, genesis)).hasMessageContaining("no differences");
  }

  private Config apply(Config current, Config updated, SigningIdentity... signers) throws Exception {
    return apply(current, current, updated, signers);
  }

  /** The update from {@code from} to {@code updated}, applied to {@code current}. */
  private Config apply(Config current, Config from, Config updated, SigningIdentity... signers) throws Exception {
    Envelope envelope = ConfigSignatures.envelope(ConfigDiff.compute(CH, from, updated), List.of(signers), admin("Org1"));
    ConfigUpdateEnvelope update = ConfigUpdateEnvelope.parseFrom(Envelopes.parse(envelope).payload().getData());
    MspRegistry msps = ChannelConfigs.fromConfig(CH, current).msps();
    return ConfigUpdates.apply(CH, current, update, msps);
  }

  private SigningIdentity admin(String org) {
    return network.user(org, "Admin");
  }

  private static Config withMaxMessageCount(Config config, int count) throws InvalidProtocolBufferException {
    Config.Builder next = config.toBuilder();
    var orderer = next.getChannelGroup().getGroupsOrThrow("Orderer").toBuilder();
    var value = orderer.getValuesOrThrow("BatchSize");
    BatchSize size = BatchSize.parseFrom(value.getValue()).toBuilder().setMaxMessageCount(count).build();
    orderer.putValues("BatchSize", value.toBuilder().setValue(size.toByteString()).build());
    next.getChannelGroupBuilder().putGroups("Orderer", orderer.build());
    return next.build();
  }

  /** The config with one more application org, its group as raftswarm's genesis writer makes it. */
  private Config withApplicationOrg(Config config, String name) throws Exception {
    OrgSpec spec = new OrgSpec(name, name.toLowerCase() + ".example.com", name + "MSP", false, List.of(), 1);
    CryptoTree crypto = CryptoGen.generate(dir.resolve(name), List.of(spec), false);
    ChannelConfig current = ChannelConfigs.fromConfig(CH, config);
    List<OrgMsp> orgs = new ArrayList<>(current.applicationOrgs());
    orgs.add(crypto.orgMsp(spec));
    ChannelConfig bigger = new ChannelConfig(CH, current.consenters(), current.ordererEndpoints(), current.raftOptions(),
        current.batch(), current.ordererOrgs(), orgs);
    var orgGroup = ChannelConfigs.config(ChannelConfigs.genesisBlock(bigger)).getChannelGroup()
        .getGroupsOrThrow("Application").getGroupsOrThrow(spec.mspId());
    Config.Builder next = config.toBuilder();
    var application = next.getChannelGroup().getGroupsOrThrow("Application").toBuilder().putGroups(spec.mspId(), orgGroup);
    next.getChannelGroupBuilder().putGroups("Application", application.build());
    return next.build();
  }
}
