package io.raftswarm.swarm.client;

import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.swarm.network.NetworkProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A user the client acts as: its signing identity (creator of proposals and transactions) and
 * its TLS client key pair (mutual TLS to peers and orderers).
 *
 * @param name e.g. User1@org1.example.com
 */
public record ClientIdentity(String name, SigningIdentity signer, TlsMaterial tls) {
  public ClientIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(tls, "tls");
  }

  /**
   * Resolves {@code User@org} through the profile: org may be the org name (Org1), its domain
   * (org1.example.com) or the domain's first label (org1); the material is the cryptogen
   * layout's {@code users/<User>@<domain>/{msp,tls}}.
   */
  public static ClientIdentity resolve(NetworkProfile profile, String userAtOrg) {
    int at = userAtOrg.indexOf('@');
    if (at <= 0 || at == userAtOrg.length() - 1) {
      throw new FabricClientException(FabricClientException.Failure.CONFIGURATION,
          "user '" + userAtOrg + "' must be USER@ORG, e.g. User1@org1 or Admin@org2.example.com");
    }
    String user = userAtOrg.substring(0, at);
    String org = userAtOrg.substring(at + 1);
    NetworkProfile.OrgEntry entry = findOrg(profile, org).orElseThrow(() -> new FabricClientException(
        FabricClientException.Failure.CONFIGURATION, "no organization '" + org + "' in network " + profile.name()
            + " (orgs: " + profile.orgs().stream().map(o -> o.name() + "/" + o.domain()).toList() + ")"));
    Path msp = Optional.ofNullable(entry.userMsps().get(user)).map(Path::of)
        .orElse(Path.of(profile.cryptoDir(), "peerOrganizations", entry.domain(), "users", user + "@" + entry.domain(), "msp"));
    Path tls = Optional.ofNullable(entry.userTls().get(user)).map(Path::of)
        .orElse(msp.resolveSibling("tls"));
    return load(user + "@" + entry.domain(), entry.mspId(), msp, tls);
  }

  /** The orderer organization's Admin: the identity the orderers' channel participation API accepts. */
  public static ClientIdentity ordererAdmin(NetworkProfile profile) {
    NetworkProfile.OrgEntry org = profile.orgs().stream().filter(o -> "orderer".equals(o.kind())).findFirst()
        .orElseThrow(() -> new FabricClientException(FabricClientException.Failure.CONFIGURATION,
            "network.json of " + profile.name() + " lists no orderer organization; render the network again"));
    return resolve(profile, "Admin@" + org.name());
  }

  /** Loads a user from its MSP and TLS directories. */
  public static ClientIdentity load(String name, String mspId, Path mspDir, Path tlsDir) {
    if (!Files.isDirectory(mspDir)) {
      throw new FabricClientException(FabricClientException.Failure.CONFIGURATION,
          "user " + name + " has no MSP directory at " + mspDir + "; did render generate this user?");
    }
    try {
      return new ClientIdentity(name, SigningIdentity.load(mspDir, mspId), TlsMaterial.load(tlsDir));
    } catch (RuntimeException e) {
      throw new FabricClientException(FabricClientException.Failure.CONFIGURATION,
          "cannot load user " + name + " from " + mspDir + " and " + tlsDir + ": " + e.getMessage(), e);
    }
  }

  /** The org of a peer or orderer node, for finding its Admin. */
  static Optional<NetworkProfile.OrgEntry> findOrg(NetworkProfile profile, String org) {
    String key = org.toLowerCase(Locale.ROOT);
    return profile.orgs().stream()
        .filter(o -> o.name().equalsIgnoreCase(org) || o.domain().equalsIgnoreCase(org) || o.mspId().equalsIgnoreCase(org)
            || o.domain().toLowerCase(Locale.ROOT).startsWith(key + "."))
        .findFirst();
  }

  public String mspId() {
    return signer.mspId();
  }
}
