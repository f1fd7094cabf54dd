package io.raftswarm.common.identity;

import com.google.protobuf.ByteString;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MSPs of a channel (orderer and application orgs) and validation of creators against
 * them. Immutable apart from a cache of creators that passed, and thread-safe.
 *
 * <p>The cache matters on the peer: every transaction names its creator as PEM bytes, and parsing
 * plus checking the issuer's signature costs more than the transaction's own signature check.
 * A hit still re-checks the validity period, so an identity that expires is refused from then on.
 */
public final class MspRegistry {
  private final Map<String, OrgMsp> byId;
  private final List<OrgMsp> ordered;
  private final Clock clock;
  private final Map<ByteString, VerifiedCreator> validated = new ConcurrentHashMap<>();

  public MspRegistry(List<OrgMsp> msps) {
    this(msps, Clock.systemUTC());
  }

  /** With an explicit clock, so that expiry can be tested. */
  public MspRegistry(List<OrgMsp> msps, Clock clock) {
    Map<String, OrgMsp> map = new LinkedHashMap<>();
    for (OrgMsp msp : msps) {
      if (map.putIfAbsent(msp.mspId(), msp) != null) {
        throw new IllegalArgumentException("MSP id " + msp.mspId() + " appears twice");
      }
    }
    this.byId = Map.copyOf(map);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ordered = List.copyOf(map.values());
  }

  public Optional<OrgMsp> byId(String mspId) {
    return Optional.ofNullable(byId.get(mspId));
  }

  /** All MSPs, in the order given. */
  public List<OrgMsp> msps() {
    return ordered;
  }

  /**
   * Deserializes a creator/signer identity and checks it belongs to a known MSP: known MSP id,
   * certificate issued by that MSP's CA, and valid now.
   *
   * @throws IdentityException naming the reason when any check fails
   */
  public VerifiedCreator validateCreator(ByteString serializedIdentity) {
    VerifiedCreator known = validated.get(serializedIdentity);
    if (known != null) {
      checkValidity(known.mspId(), known.certificate());
      return known;
    }
    DeserializedIdentity identity = Identities.deserialize(serializedIdentity);
    VerifiedCreator creator = validate(identity.mspId(), identity.certificate());
    if (validated.size() >= 4096) {
      validated.clear(); // a bound, not an LRU: creators are few
    }
    // A copy: the identity may be a view of a whole envelope (AliasedProtos), which the key would keep alive.
    validated.put(ByteString.copyFrom(serializedIdentity.asReadOnlyByteBuffer()), creator);
    return creator;
  }

  /** Same checks as {@link #validateCreator} for an already deserialized identity. */
  public VerifiedCreator validate(String mspId, X509Certificate certificate) {
    OrgMsp msp = byId.get(mspId);
    String subject = certificate.getSubjectX500Principal().getName();
    if (msp == null) {
      throw new IdentityException("identity " + subject + " claims MSP " + mspId
          + ", which is not in this channel (known MSPs: " + byId.keySet() + ")");
    }
    if (!msp.issued(certificate)) {
      throw new IdentityException("identity " + subject + " was not issued by a CA of MSP " + mspId
          + " (issuer " + certificate.getIssuerX500Principal().getName() + ")");
    }
    checkValidity(mspId, certificate);
    return new VerifiedCreator(mspId, certificate, msp.role(certificate));
  }

  private void checkValidity(String mspId, X509Certificate certificate) {
    try {
      certificate.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw new IdentityException("identity " + certificate.getSubjectX500Principal().getName() + " of MSP " + mspId + " expired on " + certificate.getNotAfter());
    } catch (CertificateNotYetValidException e) {
      throw new IdentityException("identity " + certificate.getSubjectX500Principal().getName() + " of MSP " + mspId + " is not valid before " + certificate.getNotBefore());
    }
  }
}
