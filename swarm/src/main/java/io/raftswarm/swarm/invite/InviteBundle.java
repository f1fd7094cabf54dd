package io.raftswarm.swarm.invite;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs what an invited host needs into one tar: {@code bundle/} (its rendered
 * {@code hosts/HOST} directory, file modes kept), {@code images/*.tar} (the image tars the
 * network names), {@code admin/<domain>/{msp,tls}} for each organization whose peers it runs
 * (to join them to the channels), {@code certs/} (organizations' CA and TLS CA certificates,
 * public) and {@link JoinManifest#FILE}.
 *
 * @param tar the packed file
 * @param sha256 its SHA-256, 64 lower-case hex digits
 * @param size its size in bytes
 */
public record InviteBundle(Path tar, String sha256, long size, JoinManifest manifest) {

  /** Packs HOST's bundle of the network rendered into {@code networkDir} into {@code tar}. */
  public static InviteBundle pack(NetworkProfile profile, Path networkDir, String hostName, Path tar)
      throws IOException {
    HostAccess host = profile.host(hostName);
    Path hostBundle = networkDir.resolve("hosts").resolve(hostName);
    if (!Files.isDirectory(hostBundle)) {
      throw new UserError("no bundle for " + hostName + " at " + hostBundle + "; run raftswarm render or provision"
          + " with --out " + networkDir + " first");
    }
    Map<String, Path> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(hostBundle)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(JoinManifest.BUNDLE_DIR + "/" + hostBundle.relativize(p), p);
      }
    }
    Map<String, String> images = new LinkedHashMap<>();
    NetworkProfile.Images im = profile.images();
    if (im != null) {
      if (im.ordererTar() != null) {
        files.put("images/orderer.tar", existing(Path.of(im.ordererTar()), "orderer image tar"));
        images.put(im.orderer(), "images/orderer.tar");
      }
      if (im.peerTar() != null) {
        files.put("images/peer.tar", existing(Path.of(im.peerTar()), "peer image tar"));
        images.put(im.peer(), "images/peer.tar");
      }
    }
    List<String> peerOrgsHere = profile.peers().stream().filter(p -> p.host().equals(hostName))
        .map(NetworkProfile.NodeEntry::org).distinct().toList();
    List<NetworkProfile.OrgEntry> orgs = new ArrayList<>();
    for (NetworkProfile.OrgEntry o : profile.orgs()) {
      String ca = "certs/" + o.domain() + "/ca.pem";
      String tlsCa = "certs/" + o.domain() + "/tlsca.pem";
      files.put(ca, existing(Path.of(o.caCert()), "CA certificate of " + o.name()));
      files.put(tlsCa, existing(Path.of(o.tlsCaCert()), "TLS CA certificate of " + o.name()));
      Map<String, String> msps = new TreeMap<>();
      Map<String, String> tls = new TreeMap<>();
      if (peerOrgsHere.contains(o.name())) {
        String msp = o.userMsps().get("Admin");
        String t = o.userTls().get("Admin");
        if (msp == null || t == null) {
          throw new UserError("network.json lists no Admin of " + o.name() + "; render the network again");
        }
        addTree(files, Path.of(msp), "admin/" + o.domain() + "/msp");
        addTree(files, Path.of(t), "admin/" + o.domain() + "/tls");
        msps.put("Admin", "admin/" + o.domain() + "/msp");
        tls.put("Admin", "admin/" + o.domain() + "/tls");
      }
      orgs.add(new NetworkProfile.OrgEntry(o.name(), o.mspId(), o.domain(), o.kind(), ca, tlsCa, msps, tls));
    }
    Map<String, String> tlsCaByOrg = new LinkedHashMap<>();
    orgs.forEach(o -> tlsCaByOrg.put(o.name(), o.tlsCaCert()));
    List<NetworkProfile.NodeEntry> nodes = profile.nodes().stream().map(n -> new NetworkProfile.NodeEntry(n.name(),
        n.kind(), n.org(), n.mspId(), n.host(), n.internalEndpoint(), n.externalEndpoint(), n.operationsEndpoint(),
        tlsCaByOrg.getOrDefault(n.org(), ""), n.consenterId(), n.overlayAddress(), n.adminEndpoint())).toList();
    JoinManifest manifest = new JoinManifest(JoinManifest.VERSION, profile.name(), profile.domain(), host,
        profile.runId(), profile.channels(), images, nodes, orgs);

    MessageDigest md = BundleDigest.sha256();
    try (OutputStream raw = Files.newOutputStream(tar);
        DigestOutputStream dout = new DigestOutputStream(raw, md);
        TarArchiveOutputStream out = new TarArchiveOutputStream(dout)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] json = manifest.toJson();
      TarArchiveEntry m = new TarArchiveEntry(JoinManifest.FILE);
      m.setSize(json.length);
      m.setMode(0644);
      out.putArchiveEntry(m);
      out.write(json);
      out.closeArchiveEntry();
      for (Map.Entry<String, Path> e : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(Files.size(e.getValue()));
        entry.setMode(mode(e.getValue()));
        out.putArchiveEntry(entry);
        Files.copy(e.getValue(), out);
        out.closeArchiveEntry();
      }
      out.finish();
    }
    return new InviteBundle(tar, HexFormat.of().formatHex(md.digest()), Files.size(tar), manifest);
  }

  private static Path existing(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new UserError("the " + what + " " + p + " named in network.json is missing; rebuild it (scripts/build-images"
          + " for image tars) or render the network again");
    }
    return p;
  }

  private static void addTree(Map<String, Path> files, Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserError(dir + " (named in network.json) is missing; render the network again");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(prefix + "/" + dir.relativize(p), p);
      }
    }
  }

  private static int mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
    int mode = 0;
    for (PosixFilePermission perm : perms) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }
}
