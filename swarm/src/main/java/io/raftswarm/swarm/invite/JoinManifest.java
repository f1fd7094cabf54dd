package io.raftswarm.swarm.invite;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code join.json} at the top of an invite bundle: what the joining host needs besides its
 * compose bundle. Paths are relative to the unpacked bundle (the "kit"); {@link #profile(Path)}
 * makes them absolute.
 *
 * @param host the invited host as planned (address = its swarm advertise address, workDir = where
 *     its compose file expects {@code bundle/} and {@code data/})
 * @param images image name to its tar in the kit (e.g. {@code images/orderer.tar})
 * @param nodes every node of the network (the invited host's and the others', for the summary),
 *     {@code tlsCaCert} relative to the kit
 * @param orgs every organization; {@code caCert}/{@code tlsCaCert} relative; users only for the
 *     admins of the organizations whose peers run on the host
 */
public record JoinManifest(int version, String network, String domain, HostAccess host, String runId,
    List<String> channels, Map<String, String> images, List<NetworkProfile.NodeEntry> nodes,
    List<NetworkProfile.OrgEntry> orgs) {
  public static final String FILE = "join.json";
  public static final String BUNDLE_DIR = "bundle";
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public JoinManifest {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(host, "host");
    channels = List.copyOf(channels);
    images = Map.copyOf(images);
    nodes = List.copyOf(nodes);
    orgs = List.copyOf(orgs);
  }

  public List<NetworkProfile.NodeEntry> localNodes() {
    return nodes.stream().filter(n -> n.host().equals(host.name())).toList();
  }

  /** The network as the joining host sees it, paths made absolute under {@code kit}. */
  public NetworkProfile profile(Path kit) {
    List<NetworkProfile.NodeEntry> abs = nodes.stream().map(n -> new NetworkProfile.NodeEntry(n.name(), n.kind(),
        n.org(), n.mspId(), n.host(), n.internalEndpoint(), n.externalEndpoint(), n.operationsEndpoint(),
        kit.resolve(n.tlsCaCert()).toString(), n.consenterId(), n.overlayAddress(), n.adminEndpoint())).toList();
    List<NetworkProfile.OrgEntry> absOrgs = orgs.stream().map(o -> new NetworkProfile.OrgEntry(o.name(), o.mspId(),
        o.domain(), o.kind(), kit.resolve(o.caCert()).toString(), kit.resolve(o.tlsCaCert()).toString(),
        absolute(kit, o.userMsps()), absolute(kit, o.userTls()))).toList();
    return new NetworkProfile(network, domain, kit.resolve(BUNDLE_DIR).resolve("crypto-config").toString(),
        channels, List.of(host), abs, absOrgs, runId);
  }

  private static Map<String, String> absolute(Path kit, Map<String, String> rel) {
    Map<String, String> m = new java.util.TreeMap<>();
    rel.forEach((k, v) -> m.put(k, kit.resolve(v).toString()));
    return m;
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JoinManifest read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), JoinManifest.class);
  }
}
