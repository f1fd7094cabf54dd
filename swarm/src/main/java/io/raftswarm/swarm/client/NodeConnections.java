package io.raftswarm.swarm.client;

import io.grpc.ManagedChannel;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.swarm.network.NetworkProfile;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * gRPC channels to the network's nodes, one per node and TLS identity, opened on first use:
 * the node's external endpoint, mutual TLS with the user's client key pair, the node's TLS CA
 * as trust root and the node's FQDN as TLS authority (its certificate names it).
 */
final class NodeConnections implements AutoCloseable {
  private final NetworkProfile profile;
  private final ChannelPool channels = new ChannelPool();

  NodeConnections(NetworkProfile profile) {
    this.profile = profile;
  }

  NetworkProfile.NodeEntry node(String nameOrEndpoint, String kind) {
    NetworkProfile.NodeEntry node = profile.node(nameOrEndpoint).orElseThrow(() -> new FabricClientException(
        FabricClientException.Failure.CONFIGURATION, "no " + kind + " '" + nameOrEndpoint + "' in network " + profile.name()
            + " (" + kind + "s: " + (kind.equals("orderer") ? profile.orderers() : profile.peers()).stream()
                .map(NetworkProfile.NodeEntry::name).toList() + ")"));
    if (!node.kind().equals(kind)) {
      throw new FabricClientException(FabricClientException.Failure.CONFIGURATION,
          nameOrEndpoint + " is a " + node.kind() + ", not a " + kind);
    }
    return node;
  }

  ManagedChannel channel(NetworkProfile.NodeEntry node, ClientIdentity identity) {
    return channels.get(node.name() + "|" + identity.name(), () -> open(node, identity));
  }

  private static ManagedChannel open(NetworkProfile.NodeEntry node, ClientIdentity identity) {
    List<X509Certificate> roots = new ArrayList<>(identity.tls().trustedRoots());
    roots.addAll(Pem.readCertificates(Path.of(node.tlsCaCert())));
    TlsMaterial tls = identity.tls().withTrustedRoots(roots);
    return GrpcChannels.open(node.externalEndpoint(), tls, node.name());
  }

  @Override
  public void close() {
    channels.close();
  }
}
