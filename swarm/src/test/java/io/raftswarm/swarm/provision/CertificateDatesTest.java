package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.provision.NetworkStatus.CertificateView;
import io.raftswarm.swarm.render.NetworkRenderer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateDatesTest {

  @Test
  void reads_every_nodes_tls_and_enrollment_expiry_from_the_rendered_crypto_tree(@TempDir Path dir) throws Exception {
    NetworkProfile profile = NetworkRenderer.render(NetworkPlan.of(InventoryLoader.loadForRender(
        Path.of("..").toAbsolutePath().normalize().resolve("inventory/two-hosts.yml"))), dir.resolve("net"), false).profile();
    Instant now = Instant.now();
    List<CertificateView> views = CertificateDates.of(profile, now);

    assertThat(views).extracting(CertificateView::node)
        .containsExactlyElementsOf(profile.nodes().stream().map(NetworkProfile.NodeEntry::name).toList());
    NetworkProfile.NodeEntry o7 = profile.node("orderer7").orElseThrow();
    Path tls = profile.nodeCryptoDir(o7).resolve("tls/server.crt");
    Instant expected = Pem.readCertificate(tls).getNotAfter().toInstant();
    CertificateView v = views.stream().filter(c -> c.node().equals(o7.name())).findFirst().orElseThrow();
    assertThat(v.tlsNotAfter()).isEqualTo(expected.toString());
    assertThat(v.tlsDaysLeft()).isEqualTo(CertificateDates.daysLeft(now, expected)).isGreaterThan(300);
    assertThat(v.enrollmentNotAfter()).isNotNull();
    assertThat(views).allSatisfy(c -> assertThat(c.enrollmentDaysLeft()).isNotNull());

    // a node whose material is not on this machine: unknown, not an error
    Files.delete(tls);
    CertificateView missing = CertificateDates.of(profile, now).stream()
        .filter(c -> c.node().equals(o7.name())).findFirst().orElseThrow();
    assertThat(missing.tlsNotAfter()).isNull();
    assertThat(missing.tlsDaysLeft()).isNull();
    assertThat(missing.enrollmentNotAfter()).isNotNull();
  }

  @Test
  void days_left_are_whole_days_and_negative_once_expired() {
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    assertThat(CertificateDates.daysLeft(now, Instant.parse("2026-12-13T11:59:59Z"))).isEqualTo(9);
    assertThat(CertificateDates.daysLeft(now, Instant.parse("2026-12-13T12:00:00Z"))).isEqualTo(10);
    assertThat(CertificateDates.daysLeft(now, Instant.parse("2026-12-02T12:00:00Z"))).isEqualTo(-1);
  }

  @Test
  void status_table_lists_expiry_dates_and_warns_within_thirty_days() {
    NetworkStatus status = new NetworkStatus("first-network", List.of(), List.of(
        new CertificateView("orderer.example.com", "2036-11-30T10:00:00Z", 3649L, "2036-11-30T10:00:00Z", 3649L),
        new CertificateView("peer0.org1.example.com", "2026-12-20T10:00:00Z", 16L, null, null)));
    StringWriter text = new StringWriter();
    status.printTable(new PrintWriter(text));
    assertThat(text.toString())
        .contains("orderer.example.com          2036-11-30 (3649)")
        .contains("peer0.org1.example.com       2026-12-20 (16)          - (not in the crypto tree)")
        .contains("WARNING: certificates expire within 30 days or have expired: peer0.org1.example.com TLS (16 days)")
        .doesNotContain("orderer.example.com TLS");
  }
}
