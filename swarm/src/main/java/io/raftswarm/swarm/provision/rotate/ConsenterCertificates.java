package io.raftswarm.swarm.provision.rotate;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;

/**
 * Where a channel config records a consenter's TLS certificates, and the edit that replaces them:
 * {@code /Channel/Orderer/ConsensusType}'s value holds an etcdraft {@code ConfigMetadata} whose
 * {@code consenters} carry {@code client_tls_cert} and {@code server_tls_cert} (PEM). A consenter
 * is found by its host, the orderer's FQDN (render writes it so, as configtxgen does from the
 * seeds' configtx.yaml). Everything else in the config is left as it is, so the update computed
 * from the edit touches that one value (mod_policy /Channel/Orderer/Admins).
 */
final class ConsenterCertificates {
  private static final String ORDERER = "Orderer";
  private static final String CONSENSUS_TYPE = "ConsensusType";

  private ConsenterCertificates() {}

  /** The consenter whose host is {@code fqdn}, if the channel has one. */
  static Optional<Consenter> find(Config config, String fqdn) {
    return metadata(config).getConsentersList().stream().filter(c -> c.getHost().equals(fqdn)).findFirst();
  }

  /** True when the consenter of {@code fqdn} presents {@code certPem} as both its client and server certificate. */
  static boolean holds(Config config, String fqdn, byte[] certPem) {
    ByteString cert = ByteString.copyFrom(certPem);
    return find(config, fqdn).map(c -> c.getClientTlsCert().equals(cert) && c.getServerTlsCert().equals(cert))
        .orElse(false);
  }

  /** {@code config} with the consenter of {@code fqdn} presenting {@code certPem}; fails if there is none. */
  static Config withCertificate(Config config, String fqdn, byte[] certPem) {
    ConfigMetadata metadata = metadata(config);
    ConfigMetadata.Builder edited = metadata.toBuilder();
    boolean found = false;
    for (int i = 0; i < metadata.getConsentersCount(); i++) {
      Consenter c = metadata.getConsenters(i);
      if (c.getHost().equals(fqdn)) {
        edited.setConsenters(i, c.toBuilder().setClientTlsCert(ByteString.copyFrom(certPem))
            .setServerTlsCert(ByteString.copyFrom(certPem)));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalArgumentException(fqdn + " is not a consenter of the channel");
    }
    ConfigGroup orderer = config.getChannelGroup().getGroupsOrThrow(ORDERER);
    ConfigValue value = orderer.getValuesOrThrow(CONSENSUS_TYPE);
    ConsensusType type = consensusType(value).toBuilder().setMetadata(edited.build().toByteString()).build();
    ConfigGroup newOrderer = orderer.toBuilder()
        .putValues(CONSENSUS_TYPE, value.toBuilder().setValue(type.toByteString()).build()).build();
    Config.Builder out = config.toBuilder();
    out.getChannelGroupBuilder().putGroups(ORDERER, newOrderer);
    return out.build();
  }

  private static ConfigMetadata metadata(Config config) {
    ConfigGroup orderer = config.getChannelGroup().getGroupsMap().get(ORDERER);
    if (orderer == null || !orderer.getValuesMap().containsKey(CONSENSUS_TYPE)) {
      throw new IllegalArgumentException("the channel config has no /Channel/Orderer/ConsensusType");
    }
    try {
      return ConfigMetadata.parseFrom(consensusType(orderer.getValuesOrThrow(CONSENSUS_TYPE)).getMetadata());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("/Channel/Orderer/ConsensusType metadata is not an etcdraft ConfigMetadata", e);
    }
  }

  private static ConsensusType consensusType(ConfigValue value) {
    try {
      return ConsensusType.parseFrom(value.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("/Channel/Orderer/ConsensusType is not a ConsensusType", e);
    }
  }
}
