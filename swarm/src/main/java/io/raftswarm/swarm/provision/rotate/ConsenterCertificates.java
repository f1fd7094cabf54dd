package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.ConsenterEdits;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Config;

/**
 * Where a channel config records a consenter's TLS certificates, and the edit that replaces them:
 * the etcdraft consenters in {@code /Channel/Orderer/ConsensusType} carry {@code client_tls_cert}
 * and {@code server_tls_cert} (PEM). A consenter is found by its host, the orderer's FQDN (render
 * writes it so, as configtxgen does from the seeds' configtx.yaml). The edit goes through common's
 * {@link ConsenterEdits}, the one consenter-set editor, with everything but that consenter's
 * certificates as it is, so the update computed from it touches that one value (mod_policy
 * /Channel/Orderer/Admins).
 */
final class ConsenterCertificates {
  private ConsenterCertificates() {}

  /** The consenter whose host is {@code fqdn}, if the channel has one. */
  static Optional<Consenter> find(String channel, Config config, String fqdn) {
    return ChannelConfigs.fromConfig(channel, config).consenters().stream().filter(c -> c.host().equals(fqdn)).findFirst();
  }

  /** True when the consenter of {@code fqdn} presents {@code certPem} as both its client and server certificate. */
  static boolean holds(String channel, Config config, String fqdn, byte[] certPem) {
    return find(channel, config, fqdn)
        .map(c -> Arrays.equals(c.clientTlsCertPem(), certPem) && Arrays.equals(c.serverTlsCertPem(), certPem))
        .orElse(false);
  }

  /** {@code config} with the consenter of {@code fqdn} presenting {@code certPem}; fails if there is none. */
  static Config withCertificate(String channel, Config config, String fqdn, byte[] certPem) {
    ChannelConfig current = ChannelConfigs.fromConfig(channel, config);
    if (current.consenters().stream().noneMatch(c -> c.host().equals(fqdn))) {
      throw new IllegalArgumentException(fqdn + " is not a consenter of " + channel);
    }
    List<Consenter> consenters = current.consenters().stream()
        .map(c -> c.host().equals(fqdn) ? new Consenter(c.id(), c.host(), c.port(), certPem, certPem) : c).toList();
    return ConsenterEdits.withConsenters(config, new ChannelConfig(current.channelId(), consenters,
        current.ordererEndpoints(), current.raftOptions(), current.batch(), current.ordererOrgs(),
        current.applicationOrgs(), current.anchorPeers()));
  }
}
