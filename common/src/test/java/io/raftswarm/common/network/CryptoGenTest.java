package io.raftswarm.common.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.TlsMaterial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoGenTest {
  private static final OrgSpec ORDERER_ORG = new OrgSpec("OrdererOrg", "example.com", "OrdererMSP", true,
      List.of(new NodeSpec("orderer", List.of("127.0.0.1", "localhost")), new NodeSpec("orderer2", List.of("10.0.0.2"))), 0);
  private static final OrgSpec ORG1 = new OrgSpec("Org1", "org1.example.com", "Org1MSP", false,
      List.of(new NodeSpec("peer0"), new NodeSpec("peer1")), 1);

  @TempDir Path dir;

  @Test
  void writes_the_cryptogen_layout() {
    CryptoGen.generate(dir, List.of(ORDERER_ORG, ORG1), false);
    Path org = dir.resolve("ordererOrganizations/example.com");
    assertThat(files(org).keySet()).contains(
        "ca/ca.example.com-cert.pem", "ca/priv_sk",
        "tlsca/tlsca.example.com-cert.pem", "tlsca/priv_sk",
        "msp/cacerts/ca.example.com-cert.pem", "msp/tlscacerts/tlsca.example.com-cert.pem", "msp/config.yaml",
        "orderers/orderer.example.com/msp/cacerts/ca.example.com-cert.pem",
        "orderers/orderer.example.com/msp/keystore/priv_sk",
        "orderers/orderer.example.com/msp/signcerts/orderer.example.com-cert.pem",
        "orderers/orderer.example.com/msp/tlscacerts/tlsca.example.com-cert.pem",
        "orderers/orderer.example.com/msp/config.yaml",
        "orderers/orderer.example.com/tls/ca.crt", "orderers/orderer.example.com/tls/server.crt",
        "orderers/orderer.example.com/tls/server.key",
        "orderers/orderer2.example.com/tls/server.crt",
        "users/Admin@example.com/msp/signcerts/Admin@example.com-cert.pem",
        "users/Admin@example.com/tls/client.crt", "users/Admin@example.com/tls/client.key", "users/Admin@example.com/tls/ca.crt");
    assertThat(files(dir.resolve("peerOrganizations/org1.example.com")).keySet()).contains(
        "peers/peer0.org1.example.com/msp/signcerts/peer0.org1.example.com-cert.pem",
        "peers/peer1.org1.example.com/tls/server.key",
        "users/Admin@org1.example.com/msp/keystore/priv_sk",
        "users/User1@org1.example.com/msp/signcerts/User1@org1.example.com-cert.pem",
        "users/User1@org1.example.com/tls/client.crt");
    assertThat(dir.resolve("peerOrganizations/org1.example.com/users/User2@org1.example.com")).doesNotExist();
  }

  @Test
  void node_ous_config_points_every_role_at_the_org_ca() throws IOException {
    CryptoGen.generate(dir, List.of(ORG1), false);
    String yaml = Files.readString(dir.resolve("peerOrganizations/org1.example.com/msp/config.yaml"));
    assertThat(yaml).startsWith("NodeOUs:\n  Enable: true\n");
    for (String role : List.of("Client", "Peer", "Admin", "Orderer")) {
      assertThat(yaml).contains("  " + role + "OUIdentifier:\n    Certificate: cacerts/ca.org1.example.com-cert.pem\n"
          + "    OrganizationalUnitIdentifier: " + role.toLowerCase() + "\n");
    }
    assertThat(Files.readString(dir.resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp/config.yaml")))
        .isEqualTo(yaml);
  }

  @Test
  void private_keys_are_owner_only() throws IOException {
    CryptoGen.generate(dir, List.of(ORDERER_ORG), false);
    List<Path> keys;
    try (Stream<Path> walk = Files.walk(dir)) {
      keys = walk.filter(p -> p.toString().endsWith("_sk") || p.toString().endsWith(".key")).toList();
    }
    assertThat(keys).hasSize(2 + 2 * 2 + 2); // ca+tlsca, 2 orderers (msp+tls), Admin (msp+tls)
    for (Path key : keys) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(key.toString()).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.crt")))).isEqualTo("rw-r--r--");
  }

  @Test
  void node_certificates_carry_the_roles_and_chain_to_the_org_cas() {
    CryptoTree tree = CryptoGen.generate(dir, List.of(ORDERER_ORG, ORG1), false);
    MspRegistry registry = new MspRegistry(List.of(tree.orgMsp(ORDERER_ORG), tree.orgMsp(ORG1)));

    SigningIdentity orderer = tree.nodeIdentity(ORDERER_ORG, "orderer");
    assertThat(registry.validateCreator(orderer.serialize()).role()).contains("orderer");
    assertThat(registry.validateCreator(tree.nodeIdentity(ORG1, "peer1").serialize()).role()).contains("peer");
    assertThat(registry.validateCreator(tree.userIdentity(ORG1, "Admin").serialize()).role()).contains("admin");
    assertThat(registry.validateCreator(tree.userIdentity(ORG1, "User1").serialize()).role()).contains("client");
    byte[] message = "block".getBytes(StandardCharsets.UTF_8);
    assertThat(Identities.verify(orderer.certificate(), message, orderer.sign(message))).isTrue();

    OrgMsp ordererMsp = tree.orgMsp(ORDERER_ORG);
    TlsMaterial tls = tree.nodeTlsMaterial(ORDERER_ORG, "orderer");
    assertThat(ordererMsp.issuedTls(tls.certificate())).isTrue();
    assertThat(ordererMsp.issued(tls.certificate())).as("TLS certs come from the TLS CA, not the signing CA").isFalse();
    assertThat(tls.trustedRoots()).containsExactlyElementsOf(ordererMsp.tlsRootCerts());
    assertThat(tree.userTlsMaterial(ORG1, "User1").trustedRoots()).containsExactlyElementsOf(tree.orgMsp(ORG1).tlsRootCerts());
  }

  @Test
  void tls_certificates_name_fqdn_hostname_and_extra_sans() throws Exception {
    CryptoTree tree = CryptoGen.generate(dir, List.of(ORDERER_ORG), false);
    X509Certificate cert = tree.nodeTlsMaterial(ORDERER_ORG, "orderer").certificate();
    assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "orderer.example.com"), List.of(2, "orderer"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(tree.nodeTlsMaterial(ORDERER_ORG, "orderer2").certificate().getSubjectAlternativeNames())
        .contains(List.of(7, "10.0.0.2"));
  }

  @Test
  void openssl_verifies_node_and_tls_certificates_against_the_generated_cas() throws Exception {
    CryptoTree tree = CryptoGen.generate(dir, List.of(ORG1), false);
    Path org = tree.orgDir(ORG1);
    assertOpensslVerifies(tree.caCert(ORG1), tree.nodeMsp(ORG1, "peer0").resolve("signcerts/peer0.org1.example.com-cert.pem"));
    assertOpensslVerifies(org.resolve("tlsca/tlsca.org1.example.com-cert.pem"), tree.nodeTls(ORG1, "peer0").resolve("server.crt"));
    assertOpensslVerifies(tree.userTls(ORG1, "User1").resolve("ca.crt"), tree.userTls(ORG1, "User1").resolve("client.crt"));
  }

  @Test
  void reuse_is_idempotent_and_keeps_every_byte() throws IOException {
    CryptoGen.generate(dir, List.of(ORDERER_ORG, ORG1), true);
    Map<String, String> before = files(dir);

    CryptoTree again = CryptoGen.generate(dir, List.of(ORDERER_ORG, ORG1), true);

    assertThat(again.changedOrgs()).isEmpty();
    assertThat(files(dir)).isEqualTo(before);
  }

  @Test
  void reuse_regenerates_only_what_is_missing_or_no_longer_fits() throws Exception {
    CryptoTree tree = CryptoGen.generate(dir, List.of(ORDERER_ORG, ORG1), true);
    Map<String, String> before = files(dir);
    Files.delete(tree.nodeTls(ORG1, "peer1").resolve("server.key"));
    OrgSpec ordererOrgWithNewAddress = new OrgSpec("OrdererOrg", "example.com", "OrdererMSP", true,
        List.of(new NodeSpec("orderer", List.of("127.0.0.1", "localhost")), new NodeSpec("orderer2", List.of("10.0.0.99"))), 0);

    CryptoTree after = CryptoGen.generate(dir, List.of(ordererOrgWithNewAddress, ORG1), true);

    assertThat(after.changedOrgs()).containsExactlyInAnyOrder("OrdererOrg", "Org1");
    Map<String, String> now = files(dir);
    String peer1Tls = "peerOrganizations/org1.example.com/peers/peer1.org1.example.com/tls/";
    String orderer2Tls = "ordererOrganizations/example.com/orderers/orderer2.example.com/tls/";
    assertThat(now.get(peer1Tls + "server.crt")).isNotEqualTo(before.get(peer1Tls + "server.crt"));
    assertThat(now.get(orderer2Tls + "server.crt")).isNotEqualTo(before.get(orderer2Tls + "server.crt"));
    for (String unchanged : List.of(
        "ordererOrganizations/example.com/ca/priv_sk", "ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem",
        "ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.key",
        "ordererOrganizations/example.com/orderers/orderer2.example.com/msp/keystore/priv_sk",
        "peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.crt",
        "peerOrganizations/org1.example.com/users/User1@org1.example.com/msp/keystore/priv_sk")) {
      assertThat(now.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
    }
    assertThat(after.nodeTlsMaterial(ordererOrgWithNewAddress, "orderer2").certificate().getSubjectAlternativeNames())
        .contains(List.of(7, "10.0.0.99")).doesNotContain(List.of(7, "10.0.0.2"));
  }

  @Test
  void without_reuse_everything_is_new_and_no_staging_directory_is_left() throws IOException {
    CryptoGen.generate(dir, List.of(ORG1), false);
    Map<String, String> before = files(dir);
    CryptoTree again = CryptoGen.generate(dir, List.of(ORG1), false);
    assertThat(again.changedOrgs()).containsExactly("Org1");
    assertThat(files(dir).get("peerOrganizations/org1.example.com/ca/priv_sk"))
        .isNotEqualTo(before.get("peerOrganizations/org1.example.com/ca/priv_sk"));
    try (Stream<Path> list = Files.list(dir.resolve("peerOrganizations"))) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("org1.example.com");
    }
  }

  private static void assertOpensslVerifies(Path ca, Path cert) throws Exception {
    Process openssl;
    try {
      openssl = new ProcessBuilder("openssl", "verify", "-CAfile", ca.toString(), cert.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("openssl is not on PATH (" + e.getMessage() + "); install it"
          + " (apt-get install -y openssl, as scripts/test does) to cross-check our certificates", e);
    }
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.exitValue()).as(output).isZero();
  }

  /** Relative path → content, of every file below root. */
  private static Map<String, String> files(Path root) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readString(p));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return files;
  }
}
