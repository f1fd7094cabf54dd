package io.raftswarm.common.fabric;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a channel's genesis block says, as far as raftswarm uses it.
 *
 * <p>{@code ordererEndpoints} are the Broadcast/Deliver endpoints ({@code host:port}) the config
 * lists, any number of them, as in Fabric. raftswarm's own channels list one per consenter, in
 * consenter order, and the config reader puts them in that order where it can tell it (see
 * {@link #ordererEndpoint}). Consenter ids are 1..N in list order (as etcdraft numbers them). The
 * org lists are kept sorted by MSP id: a Fabric config tree is a map, it has no order.
 */
public record ChannelConfig(
    String channelId,
    List<Consenter> consenters,
    List<String> ordererEndpoints,
    RaftOptions raftOptions,
    BatchSettings batch,
    List<OrgMsp> ordererOrgs,
    List<OrgMsp> applicationOrgs,
    Map<String, List<String>> anchorPeers) {

  /** Fabric's channel name rule (configtx.ValidateChannelID). */
  private static final Pattern CHANNEL_ID = Pattern.compile("[a-z][a-z0-9.-]{0,248}");

  /** Fabric's channel name rule: lower case letters, digits, '.' and '-', starting with a letter, at most 249. */
  public static boolean isValidChannelId(String channelId) {
    return channelId != null && CHANNEL_ID.matcher(channelId).matches();
  }

  public ChannelConfig {
    if (channelId == null || !CHANNEL_ID.matcher(channelId).matches()) {
      throw new IllegalArgumentException("channel name \"" + channelId
          + "\" is invalid: use lower-case letters, digits, '.' and '-', starting with a letter, < 250 characters");
    }
    consenters = List.copyOf(Objects.requireNonNull(consenters, "consenters"));
    ordererEndpoints = List.copyOf(Objects.requireNonNull(ordererEndpoints, "ordererEndpoints"));
    Objects.requireNonNull(raftOptions, "raftOptions");
    Objects.requireNonNull(batch, "batch");
    ordererOrgs = sorted(Objects.requireNonNull(ordererOrgs, "ordererOrgs"));
    applicationOrgs = sorted(Objects.requireNonNull(applicationOrgs, "applicationOrgs"));
    Map<String, List<String>> anchors = new java.util.TreeMap<>();
    Objects.requireNonNull(anchorPeers, "anchorPeers").forEach((msp, peers) -> anchors.put(msp, List.copyOf(peers)));
    anchorPeers = java.util.Collections.unmodifiableMap(anchors);
    if (consenters.isEmpty()) {
      throw new IllegalArgumentException("channel " + channelId + " has no consenters");
    }
    for (int i = 0; i < consenters.size(); i++) {
      if (consenters.get(i).id() != i + 1) {
        throw new IllegalArgumentException("channel " + channelId + ": consenter #" + (i + 1) + " ("
            + consenters.get(i).clusterEndpoint() + ") has id " + consenters.get(i).id() + "; ids must be 1..N in list order");
      }
    }
    for (String endpoint : ordererEndpoints) {
      Endpoints.requireHostPort(endpoint, "channel " + channelId + " orderer endpoint");
    }
    if (ordererOrgs.isEmpty()) {
      throw new IllegalArgumentException("channel " + channelId + " has no orderer organization");
    }
    Set<String> ids = new HashSet<>();
    Stream.concat(ordererOrgs.stream(), applicationOrgs.stream()).forEach(org -> {
      if (!ids.add(org.mspId())) {
        throw new IllegalArgumentException("channel " + channelId + ": MSP id " + org.mspId() + " appears twice");
      }
    });
  }

  /** A channel without anchor peers (orderer-side tests and tools that do not need them). */
  public ChannelConfig(String channelId, List<Consenter> consenters, List<String> ordererEndpoints, RaftOptions raftOptions,
      BatchSettings batch, List<OrgMsp> ordererOrgs, List<OrgMsp> applicationOrgs) {
    this(channelId, consenters, ordererEndpoints, raftOptions, batch, ordererOrgs, applicationOrgs, Map.of());
  }

  /** The anchor peers ({@code host:port}) an application org announces in the channel config, or none. */
  public List<String> anchorPeers(String mspId) {
    return anchorPeers.getOrDefault(mspId, List.of());
  }

  /** All orgs of the channel (orderer orgs first), for creator and signature checks. */
  public MspRegistry msps() {
    List<OrgMsp> all = new ArrayList<>(ordererOrgs);
    all.addAll(applicationOrgs);
    return new MspRegistry(all);
  }

  /** The consenter with the given id (1..N). */
  public Optional<Consenter> consenter(int id) {
    return id >= 1 && id <= consenters.size() ? Optional.of(consenters.get(id - 1)) : Optional.empty();
  }

  /**
   * The Broadcast/Deliver endpoint of the consenter with the given id (1..N), as far as the config
   * tells it: with one endpoint per consenter, the one at the consenter's index if it is on the
   * consenter's host; otherwise the one endpoint on the consenter's host if no other consenter
   * shares that host. Empty when the config does not say (Fabric does not tie its orderer
   * endpoints to consenters: test-network lists one endpoint for all): then nothing may be
   * inferred about that consenter from its client connections. Where consenters share a host
   * the index is only a guess ({@link #endpointsShareAHost}); orderers check it against the
   * certificate each endpoint presents.
   */
  public Optional<String> ordererEndpoint(int id) {
    if (id < 1 || id > consenters.size()) {
      return Optional.empty();
    }
    String host = consenters.get(id - 1).host();
    if (ordererEndpoints.size() == consenters.size()) {
      String atIndex = ordererEndpoints.get(id - 1);
      if (Endpoints.host(atIndex, "orderer endpoint").equalsIgnoreCase(host)) {
        return Optional.of(atIndex);
      }
    }
    List<String> onHost = ordererEndpoints.stream()
        .filter(e -> Endpoints.host(e, "orderer endpoint").equalsIgnoreCase(host)).distinct().toList();
    long consentersOnHost = consenters.stream().filter(c -> c.host().equalsIgnoreCase(host)).count();
    return onHost.size() == 1 && consentersOnHost == 1 ? Optional.of(onHost.get(0)) : Optional.empty();
  }

  /** Whether some listed endpoint's host has more than one consenter: then no position ties it to one of them for sure. */
  public boolean endpointsShareAHost() {
    return ordererEndpoints.stream().map(e -> Endpoints.host(e, "orderer endpoint")).distinct()
        .anyMatch(host -> consenters.stream().filter(c -> c.host().equalsIgnoreCase(host)).count() > 1);
  }

  /**
   * The consenter whose server or client TLS certificate is {@code tlsCertificate}: how an
   * orderer finds its own id. Compared by DER, so PEM line wrapping does not matter.
   */
  public Optional<Consenter> consenterFor(X509Certificate tlsCertificate) {
    byte[] wanted;
    try {
      wanted = tlsCertificate.getEncoded();
    } catch (CertificateEncodingException e) {
      return Optional.empty();
    }
    return consenters.stream()
        .filter(c -> sameCertificate(c.serverTlsCertPem(), wanted) || sameCertificate(c.clientTlsCertPem(), wanted))
        .findFirst();
  }

  /** True when the MSP id is one of the orderer orgs. */
  public boolean isOrdererOrg(String mspId) {
    return ordererOrgs.stream().anyMatch(org -> org.mspId().equals(mspId));
  }

  private static boolean sameCertificate(byte[] pem, byte[] der) {
    try {
      return Pem.readCertificates(pem).stream().anyMatch(cert -> {
        try {
          return Arrays.equals(cert.getEncoded(), der);
        } catch (CertificateEncodingException e) {
          return false;
        }
      });
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static List<OrgMsp> sorted(List<OrgMsp> orgs) {
    return orgs.stream().sorted(Comparator.comparing(OrgMsp::mspId)).toList();
  }
}
