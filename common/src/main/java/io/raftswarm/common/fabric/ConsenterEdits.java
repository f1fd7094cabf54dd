package io.raftswarm.common.fabric;

import static io.raftswarm.common.fabric.ConfigKeys.CONSENSUS_TYPE;
import static io.raftswarm.common.fabric.ConfigKeys.ENDPOINTS;
import static io.raftswarm.common.fabric.ConfigKeys.MSP;
import static io.raftswarm.common.fabric.ConfigKeys.ORDERER_ADDRESSES;
import static io.raftswarm.common.fabric.ConfigKeys.ORDERER_GROUP;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;

/**
 * Edits the consenter set of a channel config the way an admin edits the JSON that
 * {@code configtxlator} decodes: the etcdraft consenters in /Channel/Orderer/ConsensusType (their
 * options kept byte for byte) and the orderers' Broadcast/Deliver endpoints where the config keeps
 * them (/Channel/OrdererAddresses, the orderer orgs' Endpoints). The caller computes and signs the
 * update from the result.
 */
public final class ConsenterEdits {
  private ConsenterEdits() {}

  /** {@code current} with the consenters and orderer endpoints of {@code wanted} (same channel, consenters in order). */
  public static Config withConsenters(Config current, ChannelConfig wanted) {
    ConfigGroup.Builder channel = current.getChannelGroup().toBuilder();
    ConfigGroup.Builder orderer = channel.getGroupsOrThrow(ORDERER_GROUP).toBuilder();
    ConfigValue consensusValue = orderer.getValuesOrThrow(CONSENSUS_TYPE);
    try {
      ConsensusType consensus = ConsensusType.parseFrom(consensusValue.getValue());
      ConfigMetadata metadata = ConfigMetadata.parseFrom(consensus.getMetadata()).toBuilder()
          .clearConsenters()
          .addAllConsenters(ChannelGroupWriter.etcdraftMetadata(wanted).getConsentersList())
          .build();
      orderer.putValues(CONSENSUS_TYPE, consensusValue.toBuilder()
          .setValue(consensus.toBuilder().setMetadata(metadata.toByteString()).build().toByteString()).build());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("channel " + wanted.channelId() + ": /Channel/Orderer/ConsensusType is malformed: "
          + e.getMessage(), e);
    }
    Map<String, List<String>> byOrg = ChannelGroupWriter.endpointsByOrg(wanted);
    for (var org : new ArrayList<>(orderer.getGroupsMap().entrySet())) {
      ConfigValue endpoints = org.getValue().getValuesMap().get(ENDPOINTS);
      ConfigValue msp = org.getValue().getValuesMap().get(MSP);
      if (endpoints != null && msp != null) {
        // by MSP id: the group's name is the org's Name in configtx.yaml (OrdererOrg), not its ID
        String mspId = MspValues.fromConfig(msp.getValue(), "channel " + wanted.channelId() + " /Channel/Orderer/" + org.getKey()).mspId();
        orderer.putGroups(org.getKey(), org.getValue().toBuilder().putValues(ENDPOINTS, endpoints.toBuilder()
            .setValue(addresses(byOrg.getOrDefault(mspId, List.of()))).build()).build());
      }
    }
    channel.putGroups(ORDERER_GROUP, orderer.build());
    ConfigValue addresses = channel.getValuesMap().get(ORDERER_ADDRESSES);
    if (addresses != null) {
      channel.putValues(ORDERER_ADDRESSES, addresses.toBuilder().setValue(addresses(wanted.ordererEndpoints())).build());
    }
    return current.toBuilder().setChannelGroup(channel).build();
  }

  private static ByteString addresses(List<String> endpoints) {
    return OrdererAddresses.newBuilder().addAllAddresses(endpoints).build().toByteString();
  }
}
