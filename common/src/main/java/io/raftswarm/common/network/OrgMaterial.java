package io.raftswarm.common.network;

import io.raftswarm.common.crypto.CertificateAuthority;
import io.raftswarm.common.crypto.CertificateRequest;
import io.raftswarm.common.crypto.EcKeys;
import io.raftswarm.common.crypto.IssuedCertificate;
import io.raftswarm.common.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Computes, in memory, the complete cryptogen-layout file set of one org. With an existing org
 * directory to reuse, every CA, key and certificate that is still valid for the spec is taken
 * over byte for byte; only what is missing or no longer fits (other CA, other SANs, other OU) is
 * generated anew.
 */
final class OrgMaterial {
  static final String KEY_FILE = "priv_sk"; // Fabric 2.x cryptogen's name
  private static final String COUNTRY = "US";
  private static final String PROVINCE = "California";
  private static final String LOCALITY = "San Francisco";

  /** A file of the tree; secret files (private keys) get mode 0600. */
  record FileContent(byte[] bytes, boolean secret) {}

  private final OrgSpec org;
  private final Optional<Path> existing;
  private final Map<String, FileContent> files = new TreeMap<>();

  private OrgMaterial(OrgSpec org, Optional<Path> existing) {
    this.org = org;
    this.existing = existing;
  }

  /** Relative path (with '/') → content, for the whole org directory. */
  static Map<String, FileContent> compute(OrgSpec org, Optional<Path> existingOrgDir) {
    OrgMaterial material = new OrgMaterial(org, existingOrgDir);
    material.build();
    return material.files;
  }

  private void build() {
    String domain = org.domain();
    Ca ca = ca("ca", "ca." + domain);
    Ca tlsca = ca("tlsca", "tlsca." + domain);

    verifyingMsp("msp", ca, tlsca);
    for (NodeSpec node : org.nodes()) {
      String fqdn = node.fqdn(domain);
      String dir = org.nodesDir() + "/" + fqdn;
      signingMsp(dir + "/msp", fqdn, org.nodeOu(), ca, tlsca);
      List<String> sans = new ArrayList<>(List.of(fqdn, node.hostname()));
      sans.addAll(node.extraSans());
      tls(dir + "/tls", "server", fqdn, sans, tlsca);
    }
    for (String user : org.userNames()) {
      String name = user + "@" + domain;
      String dir = "users/" + name;
      signingMsp(dir + "/msp", name, user.equals("Admin") ? "admin" : "client", ca, tlsca);
      tls(dir + "/tls", "client", name, List.of(), tlsca);
    }
  }

  /** A CA: its certificate bytes as they are on disk (or will be), and the usable object. */
  private record Ca(CertificateAuthority authority, byte[] pem, String certFileName) {}

  private Ca ca(String dir, String commonName) {
    String certName = commonName + "-cert.pem";
    Optional<Path> oldDir = existing.map(d -> d.resolve(dir));
    if (oldDir.isPresent() && Files.isRegularFile(oldDir.get().resolve(certName))) {
      Path certFile = oldDir.get().resolve(certName);
      X509Certificate cert = Pem.readCertificate(certFile);
      for (Path keyFile : keyFiles(oldDir.get())) {
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (EcKeys.matches(key, cert.getPublicKey())) {
          byte[] pem = read(certFile);
          put(dir + "/" + certName, pem, false);
          put(dir + "/" + keyFile.getFileName(), read(keyFile), true);
          return new Ca(CertificateAuthority.load(cert, key), pem, certName);
        }
      }
    }
    CertificateAuthority authority = CertificateAuthority.create(commonName, org.domain(), COUNTRY, PROVINCE, LOCALITY);
    byte[] pem = ascii(Pem.encode(authority.certificate()));
    put(dir + "/" + certName, pem, false);
    put(dir + "/" + KEY_FILE, ascii(Pem.encode(authority.privateKey())), true);
    return new Ca(authority, pem, certName);
  }

  private void verifyingMsp(String dir, Ca ca, Ca tlsca) {
    put(dir + "/cacerts/" + ca.certFileName(), ca.pem(), false);
    put(dir + "/tlscacerts/" + tlsca.certFileName(), tlsca.pem(), false);
    put(dir + "/config.yaml", ascii(nodeOusConfig(ca.certFileName())), false);
  }

  private void signingMsp(String dir, String commonName, String ou, Ca ca, Ca tlsca) {
    verifyingMsp(dir, ca, tlsca);
    String certName = commonName + "-cert.pem";
    Optional<Path> old = existing.map(d -> d.resolve(dir));
    if (old.isPresent()) {
      Path certFile = old.get().resolve("signcerts").resolve(certName);
      Optional<Path> keyFile = reusableKey(certFile, keyFiles(old.get().resolve("keystore")),
          cert -> signedBy(cert, ca) && ouIs(cert, ou));
      if (keyFile.isPresent()) {
        put(dir + "/signcerts/" + certName, read(certFile), false);
        put(dir + "/keystore/" + keyFile.get().getFileName(), read(keyFile.get()), true);
        return;
      }
    }
    IssuedCertificate issued = ca.authority().issue(CertificateRequest.signing(commonName, ou));
    put(dir + "/signcerts/" + certName, ascii(Pem.encode(issued.certificate())), false);
    put(dir + "/keystore/" + KEY_FILE, ascii(Pem.encode(issued.keyPair().getPrivate())), true);
  }

  private void tls(String dir, String prefix, String commonName, List<String> sans, Ca tlsca) {
    put(dir + "/ca.crt", tlsca.pem(), false);
    CertificateRequest request = sans.isEmpty()
        ? new CertificateRequest(commonName, null, List.of(), List.of(), true, true)
        : CertificateRequest.tls(commonName, sans);
    Optional<Path> old = existing.map(d -> d.resolve(dir));
    if (old.isPresent()) {
      Path certFile = old.get().resolve(prefix + ".crt");
      Path keyFile = old.get().resolve(prefix + ".key");
      if (reusableKey(certFile, Files.isRegularFile(keyFile) ? List.of(keyFile) : List.of(),
              cert -> signedBy(cert, tlsca) && sansOf(cert).equals(expectedSans(request))).isPresent()) {
        put(dir + "/" + prefix + ".crt", read(certFile), false);
        put(dir + "/" + prefix + ".key", read(keyFile), true);
        return;
      }
    }
    IssuedCertificate issued = tlsca.authority().issue(request);
    put(dir + "/" + prefix + ".crt", ascii(Pem.encode(issued.certificate())), false);
    put(dir + "/" + prefix + ".key", ascii(Pem.encode(issued.keyPair().getPrivate())), true);
  }

  /** The key file that belongs to a still-acceptable certificate, if the old material is reusable. */
  private static Optional<Path> reusableKey(
      Path certFile, List<Path> keyFiles, java.util.function.Predicate<X509Certificate> acceptable) {
    if (!Files.isRegularFile(certFile)) {
      return Optional.empty();
    }
    X509Certificate cert;
    try {
      cert = Pem.readCertificate(certFile);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // unreadable: regenerate
    }
    if (!acceptable.test(cert)) {
      return Optional.empty();
    }
    for (Path keyFile : keyFiles) {
      try {
        if (EcKeys.matches(Pem.readPrivateKey(keyFile), cert.getPublicKey())) {
          return Optional.of(keyFile);
        }
      } catch (IllegalArgumentException e) {
        // not a key we can read: try the next one
      }
    }
    return Optional.empty();
  }

  private static boolean signedBy(X509Certificate cert, Ca ca) {
    X509Certificate root = ca.authority().certificate();
    if (!cert.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(root.getPublicKey());
      cert.checkValidity();
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean ouIs(X509Certificate cert, String ou) {
    String subject = cert.getSubjectX500Principal().getName();
    return subject.contains("OU=" + ou + ",") || subject.endsWith("OU=" + ou);
  }

  private static Set<String> expectedSans(CertificateRequest request) {
    Set<String> sans = new HashSet<>(request.dnsNames());
    request.ipAddresses().forEach(ip -> sans.add("ip:" + normalizeIp(ip)));
    return sans;
  }

  private static Set<String> sansOf(X509Certificate cert) {
    Set<String> sans = new HashSet<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          int type = (Integer) name.get(0);
          if (type == 2) {
            sans.add(String.valueOf(name.get(1)));
          } else if (type == 7) {
            sans.add("ip:" + normalizeIp(String.valueOf(name.get(1))));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return sans;
  }

  private static String normalizeIp(String ip) {
    if (!CertificateRequest.isIpLiteral(ip)) {
      return ip;
    }
    try {
      return java.net.InetAddress.getByName(ip).getHostAddress(); // a literal: no DNS lookup happens
    } catch (IOException e) {
      return ip;
    }
  }

  /** Fabric's NodeOUs config.yaml as cryptogen writes it. */
  static String nodeOusConfig(String caCertFileName) {
    String cert = "cacerts/" + caCertFileName;
    StringBuilder yaml = new StringBuilder("NodeOUs:\n  Enable: true\n");
    for (String[] ou : new String[][] {{"Client", "client"}, {"Peer", "peer"}, {"Admin", "admin"}, {"Orderer", "orderer"}}) {
      yaml.append("  ").append(ou[0]).append("OUIdentifier:\n")
          .append("    Certificate: ").append(cert).append('\n')
          .append("    OrganizationalUnitIdentifier: ").append(ou[1]).append('\n');
    }
    return yaml.toString();
  }

  private void put(String relativePath, byte[] bytes, boolean secret) {
    files.put(relativePath, new FileContent(bytes, secret));
  }

  private static List<Path> keyFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().endsWith("_sk") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
