package io.raftswarm.common.network;

import java.util.List;
import java.util.Objects;

/**
 * One orderer or peer of an org.
 *
 * @param hostname the short host name, e.g. {@code orderer7}; the FQDN is {@code hostname.domain}
 * @param extraSans TLS subject alternative names besides the FQDN and the hostname (host
 *     addresses, {@code 127.0.0.1}, {@code localhost}, ...); IP literals become IP SANs
 */
public record NodeSpec(String hostname, List<String> extraSans) {
  public NodeSpec {
    if (hostname == null || hostname.isBlank() || hostname.contains(".") || hostname.contains("/")) {
      throw new IllegalArgumentException("node hostname '" + hostname + "' must be a non-empty short name without '.' or '/'");
    }
    extraSans = List.copyOf(Objects.requireNonNullElse(extraSans, List.of()));
  }

  public NodeSpec(String hostname) {
    this(hostname, List.of());
  }

  public String fqdn(String domain) {
    return hostname + "." + domain;
  }
}
