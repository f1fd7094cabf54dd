package io.raftswarm.common.configtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.FabricBlockFileReader;
import io.raftswarm.common.fabric.FabricTestData;
import io.raftswarm.common.identity.MspRegistry;
import java.nio.file.Files;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.Test;

/**
 * The config trees of real Fabric blocks (shared/testdata/fabric, from hyperledger/fabric): the
 * configtx code reads them element by element and puts them back together unchanged, and an
 * update against them is judged by their own policies.
 */
class FabricConfigTreesTest {
  @Test
  void fabric_config_trees_come_apart_into_elements_and_back_unchanged() throws Exception {
    for (Config config : List.of(sampleProdGenesis(), etcdraftGenesis())) {
      var elements = ConfigMap.flatten(config.getChannelGroup());
      assertThat(elements).containsKeys("[Group]  /Channel/Orderer", "[Value]  /Channel/Orderer/BatchSize",
          "[Policy] /Channel/Admins");
      assertThat(ConfigMap.rebuild(elements)).isEqualTo(config.getChannelGroup());
    }
  }

  @Test
  void a_batch_size_update_to_a_fabric_etcdraft_channel_needs_its_orderer_admins() throws Exception {
    Config config = etcdraftGenesis();
    Config.Builder updated = config.toBuilder();
    var orderer = updated.getChannelGroup().getGroupsOrThrow("Orderer").toBuilder();
    var value = orderer.getValuesOrThrow("BatchSize");
    orderer.putValues("BatchSize", value.toBuilder().setValue(BatchSize.parseFrom(value.getValue()).toBuilder()
        .setMaxMessageCount(99).build().toByteString()).build());
    updated.getChannelGroupBuilder().putGroups("Orderer", orderer.build());
    var update = ConfigDiff.compute("testchannel", config, updated.build());
    assertThat(update.getWriteSet().getGroupsOrThrow("Orderer").getValuesOrThrow("BatchSize").getVersion())
        .isEqualTo(value.getVersion() + 1);

    // no admin signed this update
    MspRegistry msps = ChannelConfigs.fromConfig("testchannel", config).msps();
    ConfigUpdateEnvelope unsigned = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString()).build();
    assertThatThrownBy(() -> ConfigUpdates.apply("testchannel", config, unsigned, msps))
        .hasMessageContaining("policy /Channel/Orderer/Admins not satisfied");
  }

  /** The genesis of Fabric's sample_prod network (a solo channel, so only its tree is used). */
  private static Config sampleProdGenesis() throws Exception {
    Block genesis = FabricBlockFileReader.read(Files.readAllBytes(FabricTestData.file("sample_prod_mychannel_blockfile_000000"))).get(0);
    return ConfigEnvelope.parseFrom(Envelopes.parse(Envelope.parseFrom(genesis.getData().getData(0))).payload().getData())
        .getConfig();
  }

  private static Config etcdraftGenesis() throws Exception {
    return ChannelConfigs.config(Block.parseFrom(Files.readAllBytes(FabricTestData.file("etcdraftgenesis.block"))));
  }
}
