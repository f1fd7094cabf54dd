package io.raftswarm.swarm.provision.rotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.configtx.ConfigDiff;
import io.raftswarm.common.configtx.ConfigSignatures;
import io.raftswarm.common.configtx.ConfigUpdateException;
import io.raftswarm.common.configtx.ConfigUpdates;
import io.raftswarm.common.crypto.EcKeys;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.files.FileTrees;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.inventory.InventoryLoader;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.render.NetworkRenderer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What rotate-certs computes before it touches a running network: the renewed certificates of a
 * node (from a rendered two-hosts network's CAs) and the config update that re-certifies an
 * orderer as a consenter, checked with the same configtx rules the orderers apply.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RotationMaterialTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String CHANNEL = "mychannel";

  @TempDir static Path shared;
  static NetworkPlan plan;
  static NetworkProfile profile;
  static Path net;

  @BeforeAll
  static void render() {
    plan = NetworkPlan.of(InventoryLoader.loadForRender(ROOT.resolve("inventory/two-hosts.yml")));
    net = shared.resolve("net");
    profile = NetworkRenderer.render(plan, net, false).profile();
  }

  private static RotationTarget target(String node, Path networkDir) {
    NetworkProfile p = NetworkProfile.read(networkDir.resolve("network.json"));
    return RotationTarget.of(p, networkDir, p.node(node).orElseThrow());
  }

  private static NodeMaterial renew(RotationTarget t, boolean newKey, int days) throws Exception {
    return new RenewCertificatesStep(t, new RotationSettings(newKey, Duration.ofDays(days), Duration.ofSeconds(30)))
        .run(new Progress(new PrintWriter(new StringWriter()))).value();
  }

  private static List<String> sans(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream().map(l -> l.get(0) + ":" + l.get(1)).sorted().toList();
  }

  @Test
  void same_key_renewal_keeps_name_sans_usages_and_key_and_moves_the_expiry(@TempDir Path dir) throws Exception {
    Path copy = copyOfNetwork(dir);
    RotationTarget t = target("orderer3", copy);
    NodeMaterial old = new NodeMaterial(t.local());
    OrgCas cas = OrgCas.load(t.orgDir());

    NodeMaterial renewed = renew(t, false, 400);

    X509Certificate tls = renewed.tls();
    assertThat(tls.getSerialNumber()).isNotEqualTo(old.tls().getSerialNumber());
    assertThat(tls.getSubjectX500Principal()).isEqualTo(old.tls().getSubjectX500Principal());
    assertThat(sans(tls)).isEqualTo(sans(old.tls())).contains("2:orderer3.example.com");
    assertThat(tls.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(tls.getPublicKey()).isEqualTo(old.tls().getPublicKey());
    assertThat(Files.readAllBytes(renewed.tlsKey())).isEqualTo(Files.readAllBytes(old.tlsKey()));
    tls.verify(cas.tlsCa().certificate().getPublicKey());
    tls.checkValidity();
    Instant expected = Instant.now().plus(Duration.ofDays(400));
    assertThat(tls.getNotAfter().toInstant()).isBetween(expected.minus(Duration.ofMinutes(10)), expected)
        .isNotEqualTo(old.tls().getNotAfter().toInstant());

    X509Certificate enrollment = renewed.enrollment();
    assertThat(enrollment.getSubjectX500Principal()).isEqualTo(old.enrollment().getSubjectX500Principal());
    assertThat(enrollment.getSubjectX500Principal().getName()).contains("OU=orderer");
    assertThat(enrollment.getPublicKey()).isEqualTo(old.enrollment().getPublicKey());
    enrollment.verify(cas.ca().certificate().getPublicKey());
    assertThat(renewed.enrollmentKey()).isPresent();
    // the rest of the MSP (CA certs, NodeOUs config) is carried over as it was
    assertThat(Files.readAllBytes(renewed.dir().resolve("msp/config.yaml")))
        .isEqualTo(Files.readAllBytes(old.dir().resolve("msp/config.yaml")));
    // the network dir is not touched by the renewal
    assertThat(new NodeMaterial(t.local()).tls()).isEqualTo(old.tls());
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(renewed.tlsKey())))
        .isEqualTo("rw-------");

    // a second run (after an interruption) takes what the first issued: the config may hold it already
    NodeMaterial again = renew(t, false, 400);
    assertThat(again.tls()).isEqualTo(tls);
  }

  @Test
  void new_key_renewal_issues_for_fresh_keys_and_leaves_one_matching_key_in_the_keystore(@TempDir Path dir) throws Exception {
    Path copy = copyOfNetwork(dir);
    RotationTarget t = target("peer1.org2", copy);
    NodeMaterial old = new NodeMaterial(t.local());

    NodeMaterial renewed = renew(t, true, 3650);

    assertThat(renewed.tls().getPublicKey()).isNotEqualTo(old.tls().getPublicKey());
    assertThat(EcKeys.matches(Pem.readPrivateKey(renewed.tlsKey()), renewed.tls().getPublicKey())).isTrue();
    assertThat(renewed.enrollment().getPublicKey()).isNotEqualTo(old.enrollment().getPublicKey());
    try (Stream<Path> keys = Files.list(renewed.keystore())) {
      assertThat(keys.toList()).containsExactly(renewed.keystore().resolve("priv_sk"));
    }
    assertThat(renewed.enrollmentKey()).contains(renewed.keystore().resolve("priv_sk"));
    assertThat(renewed.enrollment().getSubjectX500Principal().getName()).contains("OU=peer");
    assertThat(sans(renewed.tls())).isEqualTo(sans(old.tls()));
    // the MSP loads as a signing identity with the new pair
    SigningIdentity identity = SigningIdentity.load(renewed.dir().resolve("msp"), "Org2MSP");
    assertThat(identity.certificate()).isEqualTo(renewed.enrollment());
  }

  @Test
  void a_network_dir_without_ca_keys_is_refused_before_anything_is_issued(@TempDir Path dir) throws Exception {
    Path copy = copyOfNetwork(dir);
    RotationTarget t = target("orderer3", copy);
    try (Stream<Path> keys = Files.list(t.orgDir().resolve("tlsca"))) {
      for (Path k : keys.filter(p -> p.toString().endsWith("_sk")).toList()) {
        Files.delete(k);
      }
    }
    assertThatThrownBy(() -> renew(t, false, 30)).isInstanceOf(UserError.class)
        .hasMessageContaining("no private key of CA tlsca.example.com").hasMessageContaining("--network");
    assertThat(t.pending()).doesNotExist();
  }

  @Test
  void the_consenter_update_replaces_one_certificate_and_passes_the_orderer_admins_policy() throws Exception {
    Config genesis = ChannelConfigs.config(Block.parseFrom(Files.readAllBytes(net.resolve("channel-artifacts/mychannel.block"))));
    X509Certificate newCert = newTlsCertificateOf("orderer3");
    byte[] pem = Pem.encode(newCert).getBytes(StandardCharsets.US_ASCII);
    assertThat(ConsenterCertificates.holds(CHANNEL, genesis, "orderer3.example.com", pem)).isFalse();

    Config edited = ConsenterCertificates.withCertificate(CHANNEL, genesis, "orderer3.example.com", pem);
    Config next = apply(genesis, edited, user("OrdererOrg", "Admin"));

    assertThat(next.getSequence()).isEqualTo(genesis.getSequence() + 1);
    assertThat(ConsenterCertificates.holds(CHANNEL, next, "orderer3.example.com", pem)).isTrue();
    List<Consenter> before = ChannelConfigs.fromConfig(CHANNEL, genesis).consenters();
    List<Consenter> after = ChannelConfigs.fromConfig(CHANNEL, next).consenters();
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      if (before.get(i).host().equals("orderer3.example.com")) {
        assertThat(after.get(i).serverTlsCertPem()).isEqualTo(pem);
        assertThat(after.get(i).clientTlsCertPem()).isEqualTo(pem);
        assertThat(after.get(i).clusterEndpoint()).isEqualTo(before.get(i).clusterEndpoint());
      } else {
        assertThat(after.get(i)).isEqualTo(before.get(i));
      }
    }
    // nothing but the consenters changed
    ChannelConfig b = ChannelConfigs.fromConfig(CHANNEL, genesis);
    ChannelConfig a = ChannelConfigs.fromConfig(CHANNEL, next);
    assertThat(a.batch()).isEqualTo(b.batch());
    assertThat(a.raftOptions()).isEqualTo(b.raftOptions());
    assertThat(a.ordererEndpoints()).isEqualTo(b.ordererEndpoints());
    // the update touches /Channel/Orderer/ConsensusType only
    var update = ConfigDiff.compute(CHANNEL, genesis, edited);
    assertThat(update.getWriteSet().getGroupsOrThrow("Orderer").getValuesMap().keySet()).containsExactly("ConsensusType");

    assertThatThrownBy(() -> apply(genesis, edited, user("Org1", "Admin")))
        .isInstanceOf(ConfigUpdateException.class).hasMessageContaining("/Channel/Orderer/Admins");
    assertThatThrownBy(() -> ConsenterCertificates.withCertificate(CHANNEL, genesis, "peer0.org1.example.com", pem))
        .hasMessageContaining("not a consenter");
  }

  @Test
  void a_re_render_of_a_provisioned_network_after_a_rotation_keeps_the_renewed_certificates_and_the_genesis_block(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    NetworkRenderer.render(plan, out, false);
    Files.writeString(out.resolve(NetworkRenderer.PROVISIONED_MARKER), "{}"); // provision ran: a rotation needs a running network
    byte[] block = Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block"));
    RotationTarget t = target("orderer5", out);
    NodeMaterial renewed = renew(t, true, 3650);
    for (String part : NodeMaterial.PARTS) {
      FileTrees.deleteRecursively(t.local().resolve(part));
      FileTrees.copy(renewed.dir().resolve(part), t.local().resolve(part));
    }

    NetworkRenderer.render(plan, out, false);

    assertThat(new NodeMaterial(t.local()).tls()).as("crypto reused").isEqualTo(renewed.tls());
    assertThat(new NodeMaterial(t.bundleCopy()).tls()).as("bundle rebuilt from it").isEqualTo(renewed.tls());
    assertThat(Files.readAllBytes(out.resolve("channel-artifacts/mychannel.block")))
        .as("the orderers' bootstrap block stays; the config blocks carry the new certificate").isEqualTo(block);
    assertThat(t.pending()).as("an unfinished rotation's material survives the re-render").exists();
  }

  private static X509Certificate newTlsCertificateOf(String node) {
    RotationTarget t = RotationTarget.of(profile, net, profile.node(node).orElseThrow());
    X509Certificate old = new NodeMaterial(t.local()).tls();
    return CertificateRenewal.renew(old, OrgCas.load(t.orgDir()).tlsCa(), old.getPublicKey(), Duration.ofDays(30));
  }

  private static SigningIdentity user(String org, String user) {
    NetworkProfile.OrgEntry entry = profile.org(org).orElseThrow();
    return SigningIdentity.load(Path.of(entry.userMsps().get(user)), entry.mspId());
  }

  private static Config apply(Config current, Config updated, SigningIdentity signer) throws Exception {
    var envelope = ConfigSignatures.envelope(ConfigDiff.compute(CHANNEL, current, updated), List.of(signer), signer);
    ConfigUpdateEnvelope update = ConfigUpdateEnvelope.parseFrom(Envelopes.parse(envelope).payload().getData());
    return ConfigUpdates.apply(CHANNEL, current, update, ChannelConfigs.fromConfig(CHANNEL, current).msps());
  }

  /** A copy of the rendered network dir, its network.json (absolute paths) pointing at the copy. */
  private static Path copyOfNetwork(Path dir) throws Exception {
    Path copy = dir.resolve("net");
    FileTrees.copy(net, copy);
    Path file = copy.resolve("network.json");
    Files.writeString(file, Files.readString(file).replace(net.toString(), copy.toString()));
    return copy;
  }
}
