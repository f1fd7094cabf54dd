package io.raftswarm.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.IssuedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MspRegistryTest {
  private final CertificateAuthority org1Ca = CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", null);
  private final CertificateAuthority org2Ca = CertificateAuthority.create("ca.org2.example.com", "org2.example.com", "US", null);
  private final MspRegistry registry = new MspRegistry(List.of(
      new OrgMsp("Org1MSP", List.of(org1Ca.certificate()), List.of(), List.of()),
      new OrgMsp("Org2MSP", List.of(org2Ca.certificate()), List.of(), List.of())));

  private SigningIdentity identity(CertificateAuthority ca, String mspId, String cn, String ou) {
    IssuedCertificate issued = ca.issue(CertificateRequest.signing(cn, ou));
    return new SigningIdentity(mspId, issued.certificate(), issued.keyPair().getPrivate());
  }

  @Test
  void accepts_a_member_and_reports_its_node_ou_role() {
    SigningIdentity peer = identity(org1Ca, "Org1MSP", "peer0.org1.example.com", "peer");
    VerifiedCreator creator = registry.validateCreator(peer.serialize());
    assertThat(creator.mspId()).isEqualTo("Org1MSP");
    assertThat(creator.certificate()).isEqualTo(peer.certificate());
    assertThat(creator.role()).contains("peer");
    assertThat(creator.hasRole("member")).isTrue();
    assertThat(creator.hasRole("admin")).isFalse();
  }

  @Test
  void rejects_an_identity_from_an_unknown_ca() {
    CertificateAuthority rogue = CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", null);
    SigningIdentity impostor = identity(rogue, "Org1MSP", "User1@org1.example.com", "client");
    assertThatThrownBy(() -> registry.validateCreator(impostor.serialize()))
        .isInstanceOf(IdentityException.class).hasMessageContaining("not issued by a CA of MSP Org1MSP");
  }

  @Test
  void rejects_an_identity_claiming_a_foreign_msp_id() {
    SigningIdentity org2User = identity(org2Ca, "Org1MSP", "User1@org2.example.com", "client");
    assertThatThrownBy(() -> registry.validateCreator(org2User.serialize()))
        .isInstanceOf(IdentityException.class).hasMessageContaining("Org1MSP");

    SigningIdentity unknownMsp = identity(org2Ca, "Org3MSP", "User1@org3.example.com", "client");
    assertThatThrownBy(() -> registry.validateCreator(unknownMsp.serialize()))
        .isInstanceOf(IdentityException.class).hasMessageContaining("Org3MSP").hasMessageContaining("not in this channel");
  }

  @Test
  void rejects_an_expired_identity() {
    SigningIdentity user = identity(org1Ca, "Org1MSP", "User1@org1.example.com", "client");
    Instant afterExpiry = user.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
    MspRegistry later = new MspRegistry(registry.msps(), Clock.fixed(afterExpiry, ZoneOffset.UTC));
    assertThatThrownBy(() -> later.validateCreator(user.serialize()))
        .isInstanceOf(IdentityException.class).hasMessageContaining("expired");
  }

  @Test
  void a_creator_validated_before_is_still_refused_once_it_expires() {
    SigningIdentity user = identity(org1Ca, "Org1MSP", "User1@org1.example.com", "client");
    Instant[] now = {Instant.now()};
    MspRegistry clocked = new MspRegistry(registry.msps(), new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    });
    VerifiedCreator first = clocked.validateCreator(user.serialize());
    assertThat(clocked.validateCreator(user.serialize())).as("served from the cache").isSameAs(first);
    now[0] = user.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
    assertThatThrownBy(() -> clocked.validateCreator(user.serialize()))
        .isInstanceOf(IdentityException.class).hasMessageContaining("expired");
  }

  @Test
  void a_refused_creator_stays_refused() {
    CertificateAuthority rogue = CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", null);
    SigningIdentity impostor = identity(rogue, "Org1MSP", "User1@org1.example.com", "client");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> registry.validateCreator(impostor.serialize()))
          .isInstanceOf(IdentityException.class).hasMessageContaining("not issued by a CA of MSP Org1MSP");
    }
  }

  @Test
  void org_msp_roles_come_from_the_ou_or_the_admin_list() {
    SigningIdentity admin = identity(org1Ca, "Org1MSP", "Admin@org1.example.com", "admin");
    SigningIdentity legacy = identity(org1Ca, "Org1MSP", "Legacy@org1.example.com", null);
    OrgMsp msp = new OrgMsp("Org1MSP", List.of(org1Ca.certificate()), List.of(), List.of(legacy.certificate()));
    assertThat(msp.role(admin.certificate())).contains("admin");
    assertThat(msp.role(legacy.certificate())).contains("admin");
    assertThat(msp.role(identity(org1Ca, "Org1MSP", "x", null).certificate())).isEqualTo(Optional.empty());
    assertThat(msp.issued(admin.certificate())).isTrue();
    assertThat(msp.issued(identity(org2Ca, "Org2MSP", "y", "client").certificate())).isFalse();
  }

  @Test
  void duplicate_msp_ids_are_rejected() {
    OrgMsp msp = new OrgMsp("Org1MSP", List.of(org1Ca.certificate()), List.of(), List.of());
    assertThatThrownBy(() -> new MspRegistry(List.of(msp, msp))).hasMessageContaining("twice");
  }
}
