package io.raftswarm.common.fabric;

import static io.raftswarm.common.fabric.ConfigKeys.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.identity.OrgMsp;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;

/**
 * Builds the channel config tree configtxgen builds for an etcdraft application channel
 * (profile SampleAppChannelEtcdRaft / SampleMultiNodeEtcdRaft): channel values, an Orderer group
 * with one group per orderer org, an Application group with one group per peer org, and the
 * sample's Signature / ImplicitMeta policies. Org groups are keyed by MSP id.
 */
final class ChannelGroupWriter {
  private ChannelGroupWriter() {}

  static ConfigGroup channelGroup(ChannelConfig config) {
    return group()
        .putValues(HASHING_ALGORITHM, value(HashingAlgorithm.newBuilder().setName("SHA256").build()))
        // width MaxUint32: the data hash is a plain hash over all entries
        .putValues(BLOCK_DATA_HASHING_STRUCTURE, value(BlockDataHashingStructure.newBuilder().setWidth(0xFFFFFFFF).build()))
        .putValues(ORDERER_ADDRESSES, value(OrdererAddresses.newBuilder().addAllAddresses(config.ordererEndpoints()).build())
            .toBuilder().setModPolicy("/Channel/Orderer/Admins").build())
        .putValues(CAPABILITIES, capabilities())
        .putPolicies(READERS, Policies.implicitMeta(Rule.ANY, READERS))
        .putPolicies(WRITERS, Policies.implicitMeta(Rule.ANY, WRITERS))
        .putPolicies(ADMINS, Policies.implicitMeta(Rule.MAJORITY, ADMINS))
        .putGroups(ORDERER_GROUP, ordererGroup(config))
        .putGroups(APPLICATION_GROUP, applicationGroup(config))
        .build();
  }

  private static ConfigGroup ordererGroup(ChannelConfig config) {
    ConfigGroup.Builder orderer = group()
        .putValues(CONSENSUS_TYPE, value(ConsensusType.newBuilder()
            .setType(ETCDRAFT)
            .setMetadata(etcdraftMetadata(config).toByteString())
            .setState(ConsensusType.State.STATE_NORMAL)
            .build()))
        .putValues(BATCH_SIZE, value(BatchSize.newBuilder()
            .setMaxMessageCount(config.batch().maxMessageCount())
            .setAbsoluteMaxBytes(config.batch().absoluteMaxBytes())
            .setPreferredMaxBytes(config.batch().preferredMaxBytes())
            .build()))
        .putValues(BATCH_TIMEOUT, value(BatchTimeout.newBuilder()
            .setTimeout(GoDurations.format(config.batch().batchTimeout())).build()))
        .putValues(CHANNEL_RESTRICTIONS, value(ChannelRestrictions.newBuilder().build()))
        .putValues(CAPABILITIES, capabilities())
        .putPolicies(READERS, Policies.implicitMeta(Rule.ANY, READERS))
        .putPolicies(WRITERS, Policies.implicitMeta(Rule.ANY, WRITERS))
        .putPolicies(ADMINS, Policies.implicitMeta(Rule.MAJORITY, ADMINS))
        .putPolicies(BLOCK_VALIDATION, Policies.implicitMeta(Rule.ANY, WRITERS));
    Map<String, List<String>> endpointsByOrg = endpointsByOrg(config);
    for (OrgMsp org : config.ordererOrgs()) {
      orderer.putGroups(org.mspId(), group()
          .putValues(MSP, value(MspValues.toConfig(org)))
          .putValues(ENDPOINTS, value(OrdererAddresses.newBuilder().addAllAddresses(endpointsByOrg.get(org.mspId())).build()))
          .putPolicies(READERS, Policies.anyOf(org.mspId(), List.of(MSPRoleType.MEMBER)))
          .putPolicies(WRITERS, Policies.anyOf(org.mspId(), List.of(MSPRoleType.MEMBER)))
          .putPolicies(ADMINS, Policies.anyOf(org.mspId(), List.of(MSPRoleType.ADMIN)))
          .build());
    }
    return orderer.build();
  }

  private static ConfigGroup applicationGroup(ChannelConfig config) {
    ConfigGroup.Builder application = group()
        .putValues(CAPABILITIES, capabilities())
        .putPolicies(READERS, Policies.implicitMeta(Rule.ANY, READERS))
        .putPolicies(WRITERS, Policies.implicitMeta(Rule.ANY, WRITERS))
        .putPolicies(ADMINS, Policies.implicitMeta(Rule.MAJORITY, ADMINS))
        .putPolicies(ENDORSEMENT, Policies.implicitMeta(Rule.MAJORITY, ENDORSEMENT))
        .putPolicies(LIFECYCLE_ENDORSEMENT, Policies.implicitMeta(Rule.MAJORITY, ENDORSEMENT));
    for (OrgMsp org : config.applicationOrgs()) {
      String id = org.mspId();
      ConfigGroup.Builder orgGroup = group().putValues(MSP, value(MspValues.toConfig(org)));
      List<String> anchors = config.anchorPeers(id);
      if (!anchors.isEmpty()) {
        AnchorPeers.Builder peers = AnchorPeers.newBuilder();
        for (String endpoint : anchors) {
          int colon = endpoint.lastIndexOf(':');
          peers.addAnchorPeers(AnchorPeer.newBuilder().setHost(endpoint.substring(0, colon))
              .setPort(Integer.parseInt(endpoint.substring(colon + 1))));
        }
        orgGroup.putValues(ANCHOR_PEERS, value(peers.build()));
      }
      application.putGroups(id, orgGroup
          .putPolicies(READERS, Policies.anyOf(id, List.of(MSPRoleType.ADMIN, MSPRoleType.PEER, MSPRoleType.CLIENT)))
          .putPolicies(WRITERS, Policies.anyOf(id, List.of(MSPRoleType.ADMIN, MSPRoleType.CLIENT)))
          .putPolicies(ADMINS, Policies.anyOf(id, List.of(MSPRoleType.ADMIN)))
          .putPolicies(ENDORSEMENT, Policies.anyOf(id, List.of(MSPRoleType.PEER)))
          .build());
    }
    return application.build();
  }

  static ConfigMetadata etcdraftMetadata(ChannelConfig config) {
    RaftOptions raft = config.raftOptions();
    if (raft.snapshotIntervalSize() > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("channel " + config.channelId() + ": snapshot interval "
          + raft.snapshotIntervalSize() + " does not fit etcdraft's uint32 snapshot_interval_size");
    }
    ConfigMetadata.Builder metadata = ConfigMetadata.newBuilder()
        .setOptions(Options.newBuilder()
            .setTickInterval(GoDurations.format(raft.tickInterval()))
            .setElectionTick(raft.electionTick())
            .setHeartbeatTick(raft.heartbeatTick())
            .setMaxInflightBlocks(raft.maxInflightBlocks())
            .setSnapshotIntervalSize((int) raft.snapshotIntervalSize()));
    for (Consenter consenter : config.consenters()) {
      metadata.addConsenters(org.hyperledger.fabric.protos.orderer.etcdraft.Consenter.newBuilder()
          .setHost(consenter.host())
          .setPort(consenter.port())
          .setClientTlsCert(ByteString.copyFrom(consenter.clientTlsCertPem()))
          .setServerTlsCert(ByteString.copyFrom(consenter.serverTlsCertPem())));
    }
    return metadata.build();
  }

  /**
   * Each consenter's client endpoint goes to the orderer org whose TLS CA issued its server
   * certificate (the first orderer org when none did), in consenter order.
   */
  static Map<String, List<String>> endpointsByOrg(ChannelConfig config) {
    Map<String, List<String>> byOrg = new LinkedHashMap<>();
    config.ordererOrgs().forEach(org -> byOrg.put(org.mspId(), new ArrayList<>()));
    if (config.ordererEndpoints().size() != config.consenters().size()) {
      // not one per consenter (a channel made by other tools): the first orderer org lists them all
      byOrg.get(config.ordererOrgs().get(0).mspId()).addAll(config.ordererEndpoints());
      return byOrg;
    }
    for (int i = 0; i < config.consenters().size(); i++) {
      X509Certificate serverCert = Pem.readCertificate(config.consenters().get(i).serverTlsCertPem());
      OrgMsp owner = config.ordererOrgs().stream()
          .filter(org -> org.issuedTls(serverCert))
          .findFirst()
          .orElse(config.ordererOrgs().get(0));
      byOrg.get(owner.mspId()).add(config.ordererEndpoints().get(i));
    }
    return byOrg;
  }

  private static ConfigValue capabilities() {
    return value(Capabilities.newBuilder().putCapabilities(CAPABILITY_V2_0, Capability.getDefaultInstance()).build());
  }

  private static ConfigGroup.Builder group() {
    return ConfigGroup.newBuilder().setModPolicy(ADMINS);
  }

  private static ConfigValue value(Message message) {
    return ConfigValue.newBuilder().setModPolicy(ADMINS).setValue(message.toByteString()).build();
  }
}
