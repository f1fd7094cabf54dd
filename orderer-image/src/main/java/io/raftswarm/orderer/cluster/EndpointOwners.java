package io.raftswarm.orderer.cluster;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which consenter serves each of a channel's orderer endpoints where the config does not say for
 * sure. Fabric ties no OrdererEndpoint to a consenter (configtxgen lists them per org, in any
 * order, all on one host in a local network); a follower needs its leader's endpoint to forward
 * Broadcast there. Each endpoint presents its orderer's TLS server certificate, and the config
 * names every consenter's, so a TLS handshake with the endpoint tells whose it is — the same
 * certificate the consenter is known by, checked against the same trusted roots.
 */
public final class EndpointOwners {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.cluster");

  private final SSLContext tls;
  private final Duration timeout;

  /** {@code tls} presents this orderer's certificate (client auth may be required) and trusts the orderer orgs' CAs. */
  public EndpointOwners(SSLContext tls, Duration timeout) {
    this.tls = tls;
    this.timeout = timeout;
  }

  /**
   * Whether the config leaves some listed endpoint's owner unsaid or only guessed (one endpoint
   * per consenter, several consenters on one host: the position may not be the owner's).
   */
  public static boolean needed(ChannelConfig config) {
    return config.endpointsShareAHost() || !tied(config).containsAll(config.ordererEndpoints());
  }

  /**
   * Probes the listed endpoints whose owner the config leaves unsaid or guessed; returns
   * consenter id → endpoint for those that answered with a consenter's certificate. One that
   * cannot be reached now is left out (call again later); one presenting no consenter's
   * certificate is skipped.
   */
  public Map<Integer, String> learn(ChannelConfig config) {
    Set<String> certain = config.endpointsShareAHost() ? Set.of() : tied(config);
    Map<Integer, String> owners = new LinkedHashMap<>();
    for (String endpoint : new LinkedHashSet<>(config.ordererEndpoints())) {
      if (certain.contains(endpoint)) {
        continue;
      }
      Optional<X509Certificate> presented = certificateOf(endpoint);
      Optional<Consenter> owner = presented.flatMap(config::consenterFor);
      if (owner.isPresent()) {
        owners.putIfAbsent(owner.get().id(), endpoint);
      } else if (presented.isPresent()) {
        LOG.debug("Orderer endpoint {} of channel {} presents {}, which is no consenter's certificate", endpoint,
            config.channelId(), presented.get().getSubjectX500Principal());
      }
    }
    return owners;
  }

  private static Set<String> tied(ChannelConfig config) {
    Set<String> tied = new HashSet<>();
    config.consenters().forEach(c -> config.ordererEndpoint(c.id()).ifPresent(tied::add));
    return tied;
  }

  private Optional<X509Certificate> certificateOf(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Cannot reach orderer endpoint {} to learn whose it is: {}", endpoint, e.getMessage());
      return Optional.empty();
    }
  }
}
