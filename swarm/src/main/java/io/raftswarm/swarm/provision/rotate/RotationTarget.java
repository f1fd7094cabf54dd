package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.swarm.network.NetworkProfile;
import java.nio.file.Path;

/**
 * Where one node's certificates live, on the operator machine and on its host.
 *
 * @param node the orderer or peer
 * @param label its name without the network's domain, for progress lines (orderer3, peer1.org2)
 * @param local its directory in the network dir's crypto tree ({@code msp/}, {@code tls/})
 * @param bundleCopy the same directory in its host's bundle under {@code <network>/hosts/<host>/},
 *     which provision mirrors to the host (kept equal, so a later provision ships the new files)
 * @param work {@code <network>/rotate-certs/<fqdn>}: {@code new/} holds the renewed material until
 *     the node is verified (a re-run picks it up instead of issuing again), {@code old/} the
 *     files it replaced in the network dir
 * @param remote the directory the node's container mounts on its host,
 *     {@code <workDir>/bundle/crypto-config/<path>}
 */
record RotationTarget(NetworkProfile.NodeEntry node, String label, Path local, Path bundleCopy, Path work, String remote) {
  static final String WORK_DIR = "rotate-certs";

  static RotationTarget of(NetworkProfile profile, Path networkDir, NetworkProfile.NodeEntry node) {
    Path local = profile.nodeCryptoDir(node);
    String relative = Path.of(profile.cryptoDir()).relativize(local).toString().replace('\\', '/');
    Path bundleCopy = networkDir.resolve("hosts").resolve(node.host()).resolve("crypto-config").resolve(relative);
    String workDir = profile.host(node.host()).workDir();
    return new RotationTarget(node, label(profile, node.name()), local, bundleCopy, networkDir.resolve(WORK_DIR).resolve(node.name()),
        workDir + "/bundle/crypto-config/" + relative);
  }

  /** {@code fqdn} without the network's domain: orderer3, peer1.org2. */
  static String label(NetworkProfile profile, String fqdn) {
    String suffix = "." + profile.domain();
    return fqdn.endsWith(suffix) ? fqdn.substring(0, fqdn.length() - suffix.length()) : fqdn;
  }

  /** The renewed {@code msp/} and {@code tls/}. */
  Path pending() {
    return work.resolve("new");
  }

  /** The network dir's previous {@code msp/} and {@code tls/}. */
  Path backup() {
    return work.resolve("old");
  }

  /** The org directory (its {@code ca/} and {@code tlsca/}). */
  Path orgDir() {
    return local.getParent().getParent();
  }

  String name() {
    return node.name();
  }
}
