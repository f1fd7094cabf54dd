package io.raftswarm.orderer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The admin endpoint (Fabric's {@code Admin} section): where the channel participation API
 * listens, with which TLS key pair, and which CAs issue the admin client certificates it accepts.
 * Mutual TLS always: Fabric refuses {@code Admin.TLS.ClientAuthRequired=false} with TLS on, and
 * plain HTTP would let anyone on the network remove channels.
 *
 * @param participationEnabled {@code ChannelParticipation.Enabled}; when false every request is
 *     answered 503 as in Fabric
 * @param maxRequestBodyBytes {@code ChannelParticipation.MaxRequestBodySize}
 */
public record AdminEndpoint(
    String listenAddress,
    int port,
    Path tlsCertificate,
    Path tlsPrivateKey,
    List<Path> clientRootCas,
    boolean participationEnabled,
    long maxRequestBodyBytes) {

  public AdminEndpoint {
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(tlsCertificate, "tlsCertificate");
    Objects.requireNonNull(tlsPrivateKey, "tlsPrivateKey");
    clientRootCas = List.copyOf(clientRootCas);
    if (port < 0 || port > 65535) {
      throw new ConfigException("ORDERER_ADMIN_LISTENADDRESS: port " + port + " is outside 0..65535");
    }
    if (clientRootCas.isEmpty()) {
      throw new ConfigException("ORDERER_ADMIN_TLS_CLIENTROOTCAS lists no CA; admin clients could not be verified");
    }
    if (maxRequestBodyBytes < 1024) {
      throw new ConfigException("ORDERER_CHANNELPARTICIPATION_MAXREQUESTBODYSIZE must be at least 1 KB, was "
          + maxRequestBodyBytes + " bytes");
    }
  }
}
