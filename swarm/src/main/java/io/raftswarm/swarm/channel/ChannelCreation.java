package io.raftswarm.swarm.channel;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.client.ParticipationClient;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * {@code raftswarm channel create}: a new application channel on a running network, the way
 * Fabric 2.3+ does it without a system channel. The genesis block copies an existing channel's
 * configuration (consenters, orgs, Raft and batch options) under the new name; every consenter
 * joins it through its channel participation API, and once the channel has a Raft leader every
 * peer joins it (cscc JoinChain). Each step is idempotent, so a failed run can simply be repeated.
 */
public final class ChannelCreation {
  private final NetworkProfile profile;
  private final Path networkDir;
  private final PrintWriter out;
  private final OperationsClient operations = new OperationsClient();

  public ChannelCreation(NetworkProfile profile, Path networkDir, PrintWriter out) {
    this.profile = profile;
    this.networkDir = networkDir;
    this.out = out;
  }

  /** Creates {@code channel} like {@code template}; peers joined through {@code fabric}. */
  public void create(String channel, String template, FabricClient fabric, Duration leaderTimeout) {
    Path block = genesisBlock(channel, template);
    byte[] bytes = read(block);
    ClientIdentity admin = ClientIdentity.ordererAdmin(profile);
    List<NetworkProfile.NodeEntry> consenters = consenters(ChannelConfigs.fromGenesis(parse(bytes, block)));
    for (NetworkProfile.NodeEntry orderer : consenters) {
      ParticipationClient.JoinOutcome outcome = ParticipationClient.of(orderer, admin).join(bytes);
      out.printf("  %-28s %s%n", orderer.name(), outcome == ParticipationClient.JoinOutcome.JOINED
          ? "joined " + channel + " (channel participation API)" : "already serves " + channel);
      out.flush();
    }
    awaitLeader(channel, consenters, leaderTimeout);
    for (NetworkProfile.NodeEntry peer : profile.peers()) {
      boolean joined = fabric.joinChannel(peer.name(), com.google.protobuf.ByteString.copyFrom(bytes));
      out.printf("  %-28s %s%n", peer.name(), joined ? "joined " + channel : "had already joined " + channel);
      out.flush();
    }
    profile.withChannel(channel).write(networkDir.resolve("network.json"));
  }

  /** {@code channel-artifacts/<channel>.block}: reused if a previous run wrote it, else made from the template. */
  Path genesisBlock(String channel, String template) {
    Path dir = networkDir.resolve("channel-artifacts");
    Path target = dir.resolve(channel + ".block");
    if (Files.isRegularFile(target)) {
      ChannelConfig existing = ChannelConfigs.fromGenesis(parse(read(target), target));
      if (!existing.channelId().equals(channel)) {
        throw new UserError(target + " holds the genesis block of channel " + existing.channelId() + ", not " + channel
            + "; move it away and run again");
      }
      out.println("Genesis block " + target + " (from an earlier run)");
      return target;
    }
    if (profile.channels().contains(channel)) {
      throw new UserError("channel " + channel + " already exists in network " + profile.name()
          + " but its genesis block " + target + " is missing; render the network again to restore it");
    }
    Path templateBlock = dir.resolve(template + ".block");
    if (!Files.isRegularFile(templateBlock)) {
      throw new UserError("no genesis block for the template channel " + template + " at " + templateBlock
          + "; pass --like with one of " + profile.channels());
    }
    ChannelConfig like = ChannelConfigs.fromGenesis(parse(read(templateBlock), templateBlock));
    ChannelConfig config = new ChannelConfig(channel, like.consenters(), like.ordererEndpoints(), like.raftOptions(),
        like.batch(), like.ordererOrgs(), like.applicationOrgs(), like.anchorPeers());
    try {
      Path tmp = Files.createTempFile(dir, "." + channel, ".block");
      Files.write(tmp, ChannelConfigs.genesisBlock(config).toByteArray());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    out.println("Genesis block " + target + " (configuration of " + template + ")");
    return target;
  }

  /** The network's orderers that the channel lists as consenters (same consenter ids: the template is one of its channels). */
  private List<NetworkProfile.NodeEntry> consenters(ChannelConfig config) {
    List<NetworkProfile.NodeEntry> found = profile.orderers().stream()
        .filter(o -> config.consenters().stream().anyMatch(c -> c.id() == o.consenterId()))
        .toList();
    if (found.size() != config.consenters().size()) {
      throw new UserError("the channel's consenter ids " + config.consenters().stream().map(c -> c.id()).toList()
          + " are not all orderers of network " + profile.name() + " (" + profile.orderers().stream()
              .map(o -> o.name() + "=" + o.consenterId()).toList() + ")");
    }
    return found;
  }

  private void awaitLeader(String channel, List<NetworkProfile.NodeEntry> consenters, Duration timeout) {
    out.print("Waiting for a Raft leader of " + channel + " ");
    out.flush();
    try {
      Wait.upTo(timeout, Duration.ofMillis(250)).untilOrThrow(
          () -> consenters.stream()
              .map(o -> operations.ordererStatus(o.operationsEndpoint()).flatMap(st -> st.channel(channel))
                  .map(OrdererChannelStatus::leaderId).orElse(0))
              .toList(),
          leaders -> leaders.stream().allMatch(id -> id > 0) && leaders.stream().distinct().count() == 1,
          leaders -> {
            out.print(".");
            out.flush();
          },
          leaders -> {
            out.println();
            return new UserError("channel " + channel + " has no Raft leader all consenters agree on after "
                + timeout.toSeconds() + " s; check `raftswarm status` and the orderer logs, then run the same command again");
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
    out.println("ok");
  }

  private static Block parse(byte[] bytes, Path file) {
    try {
      return Block.parseFrom(bytes);
    } catch (IOException e) {
      throw new UserError(file + " is not a Fabric block: " + e.getMessage());
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
