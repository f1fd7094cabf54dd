package io.raftswarm.common.fabric;

import static io.raftswarm.common.fabric.ConfigKeys.*;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.raftswarm.common.identity.OrgMsp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;
import org.hyperledger.fabric.protos.peer.AnchorPeers;

/**
 * Reads a channel config tree (ours or one configtxgen wrote, Fabric 1.4 or 2.x) into a
 * {@link ChannelConfig}. Errors name the config path that is missing or malformed.
 */
final class ChannelGroupReader {
  /** Fabric 1.4.0's etcdraft Options had tick_interval as uint64 milliseconds in field 1. */
  private static final int LEGACY_TICK_FIELD = 1;

  private final String channelId;

  private ChannelGroupReader(String channelId) {
    this.channelId = channelId;
  }

  static ChannelConfig read(String channelId, ConfigGroup channel) {
    return new ChannelGroupReader(channelId).read(channel);
  }

  private ChannelConfig read(ConfigGroup channel) {
    ConfigGroup orderer = channel.getGroupsMap().get(ORDERER_GROUP);
    if (orderer == null) {
      throw new IllegalArgumentException(where("/Channel") + " has no Orderer group; is this an orderer channel's config block?");
    }
    ConfigMetadata raft = etcdraft(orderer);
    List<Consenter> consenters = new ArrayList<>();
    for (int i = 0; i < raft.getConsentersCount(); i++) {
      var consenter = raft.getConsenters(i);
      consenters.add(new Consenter(i + 1, consenter.getHost(), consenter.getPort(),
          consenter.getClientTlsCert().toByteArray(), consenter.getServerTlsCert().toByteArray()));
    }
    List<OrgMsp> ordererOrgs = orgs(orderer, "/Channel/Orderer");
    ConfigGroup application = channel.getGroupsMap().get(APPLICATION_GROUP);
    List<OrgMsp> applicationOrgs = application == null ? List.of() : orgs(application, "/Channel/Application");
    List<String> endpoints = ordererEndpoints(channel, orderer, consenters);
    Map<String, List<String>> anchorPeers = new LinkedHashMap<>();
    if (application != null) {
      for (var org : application.getGroupsMap().entrySet()) {
        ConfigValue value = org.getValue().getValuesMap().get(ANCHOR_PEERS);
        if (value == null) {
          continue;
        }
        String path = "/Channel/Application/" + org.getKey() + "/" + ANCHOR_PEERS;
        try {
          List<String> peers = new ArrayList<>();
          for (var anchor : AnchorPeers.parseFrom(value.getValue()).getAnchorPeersList()) {
            String endpoint = anchor.getHost() + ":" + anchor.getPort();
            Endpoints.requireHostPort(endpoint, where(path));
            peers.add(endpoint);
          }
          String orgPath = "/Channel/Application/" + org.getKey();
          String mspId = MspValues.fromConfig(org.getValue().getValuesMap().get(MSP).getValue(), where(orgPath)).mspId();
          anchorPeers.put(mspId, peers);
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalArgumentException(where(path) + " is not a peer.AnchorPeers", e);
        }
      }
    }
    return new ChannelConfig(channelId, consenters, endpoints, raftOptions(raft.getOptions()), batch(orderer),
        ordererOrgs, applicationOrgs, anchorPeers);
  }

  private ConfigMetadata etcdraft(ConfigGroup orderer) {
    ConsensusType consensus = parse(orderer, CONSENSUS_TYPE, "/Channel/Orderer", ConsensusType.parser());
    if (!ETCDRAFT.equals(consensus.getType())) {
      throw new IllegalArgumentException(where("/Channel/Orderer/ConsensusType") + " is \"" + consensus.getType()
          + "\"; raftswarm orders only etcdraft channels");
    }
    try {
      return ConfigMetadata.parseFrom(consensus.getMetadata());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(where("/Channel/Orderer/ConsensusType") + " metadata is not an etcdraft ConfigMetadata", e);
    }
  }

  private RaftOptions raftOptions(Options options) {
    Duration tick = RaftOptions.DEFAULT_TICK_INTERVAL;
    if (!options.getTickInterval().isEmpty()) {
      try {
        tick = GoDurations.parse(options.getTickInterval());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where("/Channel/Orderer/ConsensusType") + " tick_interval: " + e.getMessage(), e);
      }
    } else {
      UnknownFieldSet.Field legacy = options.getUnknownFields().getField(LEGACY_TICK_FIELD);
      if (legacy != null && !legacy.getVarintList().isEmpty()) {
        tick = Duration.ofMillis(legacy.getVarintList().get(0));
      }
    }
    int maxInflight = options.getMaxInflightBlocks() == 0 ? RaftOptions.DEFAULT_MAX_INFLIGHT_BLOCKS : options.getMaxInflightBlocks();
    long snapshotInterval = options.getSnapshotIntervalSize() == 0
        ? RaftOptions.DEFAULT_SNAPSHOT_INTERVAL_SIZE
        : Integer.toUnsignedLong(options.getSnapshotIntervalSize());
    return new RaftOptions(tick, options.getElectionTick(), options.getHeartbeatTick(), maxInflight, snapshotInterval);
  }

  private BatchSettings batch(ConfigGroup orderer) {
    BatchSize size = parse(orderer, BATCH_SIZE, "/Channel/Orderer", BatchSize.parser());
    BatchTimeout timeout = parse(orderer, BATCH_TIMEOUT, "/Channel/Orderer", BatchTimeout.parser());
    try {
      return new BatchSettings(GoDurations.parse(timeout.getTimeout()), size.getMaxMessageCount(),
          size.getAbsoluteMaxBytes(), size.getPreferredMaxBytes());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where("/Channel/Orderer") + " BatchSize/BatchTimeout: " + e.getMessage(), e);
    }
  }

  private List<OrgMsp> orgs(ConfigGroup parent, String path) {
    List<OrgMsp> orgs = new ArrayList<>();
    for (Map.Entry<String, ConfigGroup> org : parent.getGroupsMap().entrySet()) {
      String orgPath = path + "/" + org.getKey();
      ConfigValue msp = org.getValue().getValuesMap().get(MSP);
      if (msp == null) {
        throw new IllegalArgumentException(where(orgPath) + " has no MSP value");
      }
      orgs.add(MspValues.fromConfig(msp.getValue(), where(orgPath)));
    }
    return orgs;
  }

  /**
   * The channel's client endpoints: the channel's OrdererAddresses, or the orderer orgs'
   * Endpoints, in order when there is exactly one per consenter; else, when every consenter has
   * one on its host, in consenter order; else all of them as listed (Fabric ties no endpoint to
   * a consenter; {@link ChannelConfig#ordererEndpoint} then tells what it can).
   */
  private List<String> ordererEndpoints(ConfigGroup channel, ConfigGroup orderer, List<Consenter> consenters) {
    List<String> channelLevel = channel.getValuesMap().containsKey(ORDERER_ADDRESSES)
        ? parse(channel, ORDERER_ADDRESSES, "/Channel", OrdererAddresses.parser()).getAddressesList()
        : List.of();
    List<String> orgLevel = new ArrayList<>();
    int orgsWithEndpoints = 0;
    for (Map.Entry<String, ConfigGroup> org : orderer.getGroupsMap().entrySet()) {
      if (org.getValue().getValuesMap().containsKey(ENDPOINTS)) {
        orgsWithEndpoints++;
        orgLevel.addAll(parse(org.getValue(), ENDPOINTS, "/Channel/Orderer/" + org.getKey(), OrdererAddresses.parser())
            .getAddressesList());
      }
    }
    if (channelLevel.size() == consenters.size()) {
      return channelLevel;
    }
    // several orgs' lists have no defined order among themselves; one org's list does
    if (orgLevel.size() == consenters.size() && orgsWithEndpoints == 1) {
      return orgLevel;
    }
    List<String> candidates = new ArrayList<>(orgLevel);
    candidates.addAll(channelLevel);
    List<String> endpoints = new ArrayList<>();
    for (Consenter consenter : consenters) {
      Optional<String> onHost = candidates.stream()
          .filter(endpoint -> !endpoints.contains(endpoint))
          .filter(endpoint -> Endpoints.host(endpoint, where("orderer endpoint")).equals(consenter.host()))
          .findFirst();
      if (onHost.isEmpty()) {
        return candidates.stream().distinct().toList();
      }
      endpoints.add(onHost.get());
    }
    return endpoints;
  }

  private <T> T parse(ConfigGroup group, String key, String path, com.google.protobuf.Parser<T> parser) {
    ConfigValue value = group.getValuesMap().get(key);
    if (value == null) {
      throw new IllegalArgumentException(where(path) + " has no " + key + " value");
    }
    try {
      return parser.parseFrom(value.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(where(path + "/" + key) + " is malformed: " + e.getMessage(), e);
    }
  }

  private String where(String path) {
    return "channel " + channelId + " config " + path;
  }
}
