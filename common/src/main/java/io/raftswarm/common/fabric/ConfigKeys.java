package io.raftswarm.common.fabric;

/** Names of groups and values in a Fabric channel config tree (common/channelconfig). */
final class ConfigKeys {
  static final String ORDERER_GROUP = "Orderer";
  static final String APPLICATION_GROUP = "Application";

  static final String HASHING_ALGORITHM = "HashingAlgorithm";
  static final String BLOCK_DATA_HASHING_STRUCTURE = "BlockDataHashingStructure";
  static final String ORDERER_ADDRESSES = "OrdererAddresses";
  static final String CAPABILITIES = "Capabilities";
  static final String CONSENSUS_TYPE = "ConsensusType";
  static final String BATCH_SIZE = "BatchSize";
  static final String BATCH_TIMEOUT = "BatchTimeout";
  static final String CHANNEL_RESTRICTIONS = "ChannelRestrictions";
  static final String MSP = "MSP";
  static final String ANCHOR_PEERS = "AnchorPeers";
  static final String ENDPOINTS = "Endpoints";

  static final String READERS = "Readers";
  static final String WRITERS = "Writers";
  static final String ADMINS = "Admins";
  static final String BLOCK_VALIDATION = "BlockValidation";
  static final String ENDORSEMENT = "Endorsement";
  static final String LIFECYCLE_ENDORSEMENT = "LifecycleEndorsement";

  static final String ETCDRAFT = "etcdraft";
  static final String CAPABILITY_V2_0 = "V2_0";

  private ConfigKeys() {}
}
