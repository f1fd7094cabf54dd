package io.raftswarm.swarm.render;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.OrgSpec;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * configtxgen's {@code -outputBlock} for every channel: consenters = the orderers at their
 * cluster endpoint {@code fqdn:clusterPort} with their TLS certificate, orderer endpoints
 * {@code fqdn:port} in the same order, Raft and batch options from the inventory.
 *
 * <p>A block that already exists and describes exactly the same configuration is kept byte for
 * byte (its timestamp and nonce included): running orderers were bootstrapped from it, and a
 * re-render with no change must not produce a "different" genesis block. Once the network ran
 * (provisioned), a block that differs only in its consenters is kept too: the orderers' ledgers
 * start with it, so orderers added to or removed from the inventory change the running channels
 * through config updates (provision's ReconcileConsenters step), never through a new genesis.
 */
final class GenesisBlocks {
  private GenesisBlocks() {}

  /** The channel as the plan wants it: every planned orderer a consenter, in plan order. */
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
   * {@code previousDir} when its configuration is unchanged, or when {@code networkRan} and only
   * its consenters differ.
   */
  static void write(NetworkPlan plan, CryptoTree tree, Path dir, Optional<Path> previousDir, boolean networkRan)
      throws IOException {
    Files.createDirectories(dir);
    for (NetworkPlan.PlannedChannel channel : plan.channels()) {
      ChannelConfig config = config(plan, tree, channel);
      Path target = dir.resolve(channel.name() + ".block");
      Optional<byte[]> kept = previousDir.map(p -> p.resolve(channel.name() + ".block"))
          .filter(Files::isRegularFile)
          .map(GenesisBlocks::read);
      if (networkRan) {
        kept.ifPresent(bytes -> refuseMovedEndpoints(channel.name(), bytes, config));
      }
      Optional<byte[]> previous = kept
          .filter(bytes -> sameConfig(bytes, config) || networkRan && sameButConsenters(bytes, config));
      Files.write(target,
          previous.orElseGet(() -> ChannelConfigs.genesisBlock(config).toByteArray()));
    }
  }

  /**
   * A running orderer's endpoints are in its channels' configs, so the plan may not move them:
   * the containers would listen where the configs no longer point (the orderers refuse a config
   * update that moves a consenter, too). An older raftswarm kept Raft on the overlay at 7051 and
   * Broadcast at 7050 in every container; this one listens on the published ports.
   */
  private static void refuseMovedEndpoints(String channel, byte[] block, ChannelConfig wanted) {
    ChannelConfig was;
    try {
      was = ChannelConfigs.fromGenesis(Block.parseFrom(block));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return; // not a block we can read: nothing to compare
    }
    List<String> moved = new ArrayList<>();
    for (int i = 0; i < wanted.consenters().size(); i++) {
      Consenter now = wanted.consenters().get(i);
      for (int j = 0; j < was.consenters().size(); j++) {
        Consenter before = was.consenters().get(j);
        if (!before.host().equals(now.host())) {
          continue;
        }
        if (before.port() != now.port()) {
          moved.add(now.host() + " Raft port " + before.port() + " → " + now.port());
        }
        if (j < was.ordererEndpoints().size() && !was.ordererEndpoints().get(j).equals(wanted.ordererEndpoints().get(i))) {
          moved.add(now.host() + " endpoint " + was.ordererEndpoints().get(j) + " → " + wanted.ordererEndpoints().get(i));
        }
      }
    }
    if (!moved.isEmpty()) {
      throw new UserError("channel " + channel + " of this provisioned network names its orderers where this inventory"
          + " no longer puts them (" + String.join("; ", moved) + "); a running consenter cannot move. Keep the"
          + " orderers' port and clusterPort as they were provisioned, or, for a network provisioned by an older"
          + " raftswarm (Raft on the overlay at 7051), remove it with `raftswarm down` and provision again");
    }
  }

  private static boolean sameConfig(byte[] block, ChannelConfig wanted) {
    try {
      return ChannelConfigs.fromGenesis(Block.parseFrom(block)).equals(wanted);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return false; // not a block we can read: replace it
    }
  }

  private static boolean sameButConsenters(byte[] block, ChannelConfig wanted) {
    try {
      ChannelConfig was = ChannelConfigs.fromGenesis(Block.parseFrom(block));
      return new ChannelConfig(was.channelId(), wanted.consenters(), wanted.ordererEndpoints(), was.raftOptions(), was.batch(),
          was.ordererOrgs(), was.applicationOrgs(), was.anchorPeers()).equals(wanted);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
