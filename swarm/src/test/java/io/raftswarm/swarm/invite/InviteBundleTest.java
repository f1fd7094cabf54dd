package io.raftswarm.swarm.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.render.NetworkRenderer;
import io.raftswarm.swarm.render.RenderResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeds' two-host layout with host2 invited: what its bundle holds and what join reads back. */
class InviteBundleTest {
  @TempDir Path dir;

  @Test
  void host2s_bundle_holds_its_compose_bundle_its_org_admin_and_a_manifest() throws Exception {
    String text = Files.readString(Path.of("../inventory/two-hosts.yml"))
        .replace("  - name: host2\n", "  - name: host2\n    invite: true\n");
    Path inv = Files.writeString(dir.resolve("hosts.yml"), text);
    RenderResult r = NetworkRenderer.render(NetworkPlan.of(InventoryLoader.loadForRender(inv)), dir.resolve("net"), false);
    NetworkProfile profile = r.profile();
    assertThat(profile.host("host2").invite()).isTrue();

    InviteBundle b = InviteBundle.pack(profile, r.outDir(), "host2", dir.resolve("host2.tar"));
    assertThat(b.sha256()).isEqualTo(BundleDigest.of(b.tar()));
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(b.tar()))) {
      TarArchiveEntry e;
      while ((e = in.getNextTarEntry()) != null) {
        names.add(e.getName());
        if (e.getName().endsWith("_sk") || e.getName().endsWith(".key")) {
          assertThat(e.getMode() & 0077).as("private key %s kept private", e.getName()).isZero();
        }
      }
    }
    assertThat(names.get(0)).isEqualTo(JoinManifest.FILE);
    assertThat(names).contains("bundle/docker-compose.yaml", "bundle/.env", "certs/example.com/tlsca.pem")
        .anyMatch(n -> n.startsWith("admin/org2.example.com/msp/signcerts/"))
        .anyMatch(n -> n.startsWith("admin/org2.example.com/tls/"))
        .noneMatch(n -> n.startsWith("admin/org1.example.com/"))
        .noneMatch(n -> n.contains("orderer5.example.com")); // host1's nodes' keys stay home

    JoinManifest m = Joiner.readManifest(b.tar());
    assertThat(m.host().name()).isEqualTo("host2");
    assertThat(m.host().workDir()).isEqualTo("/home/hyperledger/raftswarm");
    assertThat(m.localNodes()).extracting(NetworkProfile.NodeEntry::name).containsExactly("orderer3.example.com",
        "orderer4.example.com", "orderer6.example.com", "peer0.org2.example.com", "peer1.org2.example.com");
    assertThat(m.nodes()).hasSize(11);
    NetworkProfile seen = m.profile(Path.of("/w/join"));
    assertThat(seen.org("Org2").orElseThrow().userMsps()).containsEntry("Admin", "/w/join/admin/org2.example.com/msp");
    assertThat(seen.node("orderer7").orElseThrow().tlsCaCert()).isEqualTo("/w/join/certs/example.com/tlsca.pem");
  }

  @Test
  void a_host_without_a_bundle_is_refused() throws Exception {
    NetworkProfile empty = new NetworkProfile("n", "example.com", "/c", List.of("ch"),
        List.of(new io.raftswarm.swarm.network.HostAccess("host2", "10.0.0.2", false, "/w", "/s", null, true)),
        List.of(), List.of(), "");
    assertThatThrownBy(() -> InviteBundle.pack(empty, dir, "host2", dir.resolve("x.tar")))
        .isInstanceOf(UserError.class).hasMessageContaining("no bundle for host2");
  }
}
