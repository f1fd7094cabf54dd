package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.HostSessionCache;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the steps of a rotation work with: the network, a Fabric client (config fetches and the
 * update's broadcast), the orderer org's admin (who signs the update), the nodes' operations
 * endpoints, the hosts (files over SSH, containers over the engine API) and how to restart a
 * node. The caller owns and closes the client and the sessions.
 *
 * @param networkDir the directory render wrote (network.json, crypto-config with the CA keys)
 */
public record RotationContext(NetworkProfile profile, Path networkDir, FabricClient fabric, ClientIdentity admin,
    OperationsClient ops, HostSessionCache sessions, NodeRestart restart, RotationSettings settings) {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  public RotationContext {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(networkDir, "networkDir");
    Objects.requireNonNull(fabric, "fabric");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(settings, "settings");
  }

  /** Every orderer's /status now (empty when it does not answer). */
  Map<String, Optional<OrdererStatus>> ordererStatuses() {
    Map<String, Optional<OrdererStatus>> out = new LinkedHashMap<>();
    profile.orderers().forEach(o -> out.put(o.name(), ops.ordererStatus(o.operationsEndpoint())));
    return out;
  }

  /**
   * The TLS certificate {@code node} serves now: a handshake as its org's Admin (the nodes require
   * a client certificate) trusting only the node's TLS CA.
   */
  Optional<X509Certificate> servedCertificate(NetworkProfile.NodeEntry node) {
    NetworkProfile.OrgEntry org = profile.org(node.mspId()).orElseThrow(() -> new IllegalStateException(
        "network.json lists no organization " + node.mspId() + " of " + node.name()));
    String adminTls = org.userTls().get("Admin");
    if (adminTls == null) {
      throw new UserError("network.json names no Admin TLS directory of " + org.name() + " (written by an older"
          + " raftswarm?); run raftswarm render or provision again with the same inventory and --out");
    }
    TlsMaterial client = TlsMaterial.load(Path.of(adminTls)).withTrustedRoots(Pem.readCertificates(Path.of(node.tlsCaCert())));
    return ServedCertificate.of(node.externalEndpoint(), client, PROBE_TIMEOUT);
  }
}
