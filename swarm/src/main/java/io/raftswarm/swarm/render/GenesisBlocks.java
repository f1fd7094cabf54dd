package io.raftswarm.swarm.render;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * configtxgen's {@code -outputBlock} for every channel: consenters = the orderers at their
 * cluster endpoint {@code fqdn:7051} with their TLS certificate, orderer endpoints
 * {@code fqdn:7050} in the same order, Raft and batch options from the inventory.
 *
 * <p>A block that already exists and describes exactly the same configuration is kept byte for
 * byte (its timestamp and nonce included): running orderers were bootstrapped from it, and a
 * re-render with no change must not produce a "different" genesis block. Consenters re-certified
 * since (rotate-certs) count as no change.
 */
final class GenesisBlocks {
  private GenesisBlocks() {}

  static ChannelConfig config(NetworkPlan plan, CryptoTree tree, NetworkPlan.PlannedChannel channel) {
    OrgSpec ordererOrg = CryptoSpecs.ordererOrg(plan);
    List<Consenter> consenters = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (NetworkPlan.PlannedNode o : plan.orderers()) {
      byte[] cert = read(tree.nodeTls(ordererOrg, o.name()).resolve("server.crt"));
      consenters.add(new Consenter(o.consenterId(), o.fqdn(), o.clusterPort(), cert, cert));
      endpoints.add(o.internalEndpoint());
    }
    List<OrgMsp> peerOrgs = CryptoSpecs.peerOrgs(plan).stream().map(tree::orgMsp).toList();
    // Each org's first peer is its anchor peer, as in the seeds' configtx.yaml: the gateway asks
    // it for the org's endorsement.
    Map<String, List<String>> anchorPeers = new LinkedHashMap<>();
    for (NetworkPlan.PlannedNode p : plan.peers()) {
      anchorPeers.putIfAbsent(p.mspId(), List.of(p.internalEndpoint()));
    }
    return new ChannelConfig(channel.name(), consenters, endpoints, plan.raft(), channel.batch(),
        List.of(tree.orgMsp(ordererOrg)), peerOrgs, anchorPeers);
  }

  /**
   * Writes {@code <channel>.block} for every channel into {@code dir}, reusing the block in
   * {@code previousDir} when its configuration is unchanged.
   */
  static void write(NetworkPlan plan, CryptoTree tree, Path dir, Optional<Path> previousDir)
      throws IOException {
    Files.createDirectories(dir);
    for (NetworkPlan.PlannedChannel channel : plan.channels()) {
      ChannelConfig config = config(plan, tree, channel);
      Path target = dir.resolve(channel.name() + ".block");
      Optional<byte[]> previous = previousDir.map(p -> p.resolve(channel.name() + ".block"))
          .filter(Files::isRegularFile)
          .map(GenesisBlocks::read)
          .filter(bytes -> sameConfig(bytes, config));
      Files.write(target,
          previous.orElseGet(() -> ChannelConfigs.genesisBlock(config).toByteArray()));
    }
  }

  private static boolean sameConfig(byte[] block, ChannelConfig wanted) {
    try {
      ChannelConfig previous = ChannelConfigs.fromGenesis(Block.parseFrom(block));
      return previous.equals(wanted) || previous.equals(withRecertifiedConsenters(wanted, previous));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return false; // not a block we can read: replace it
    }
  }

  /**
   * {@code wanted} with each consenter that {@code previous} records under an earlier certificate
   * of the same node — same id, endpoint, subject and issuer: re-certified by rotate-certs — as
   * {@code previous} records it. The channel's later config blocks carry the new certificate; its
   * genesis block stays the one the running orderers were bootstrapped from.
   */
  static ChannelConfig withRecertifiedConsenters(ChannelConfig wanted, ChannelConfig previous) {
    if (wanted.consenters().size() != previous.consenters().size()) {
      return wanted;
    }
    List<Consenter> consenters = new ArrayList<>();
    for (int i = 0; i < wanted.consenters().size(); i++) {
      Consenter w = wanted.consenters().get(i);
      Consenter p = previous.consenters().get(i);
      boolean recertified = w.id() == p.id() && w.clusterEndpoint().equals(p.clusterEndpoint())
          && sameSubjectAndIssuer(w.serverTlsCertPem(), p.serverTlsCertPem())
          && sameSubjectAndIssuer(w.clientTlsCertPem(), p.clientTlsCertPem());
      consenters.add(recertified ? p : w);
    }
    return new ChannelConfig(wanted.channelId(), consenters, wanted.ordererEndpoints(), wanted.raftOptions(), wanted.batch(),
        wanted.ordererOrgs(), wanted.applicationOrgs(), wanted.anchorPeers());
  }

  private static boolean sameSubjectAndIssuer(byte[] a, byte[] b) {
    X509Certificate x = Pem.readCertificate(a);
    X509Certificate y = Pem.readCertificate(b);
    return x.getSubjectX500Principal().equals(y.getSubjectX500Principal())
        && x.getIssuerX500Principal().equals(y.getIssuerX500Principal());
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
