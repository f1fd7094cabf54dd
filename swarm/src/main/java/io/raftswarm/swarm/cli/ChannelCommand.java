package io.raftswarm.swarm.cli;

import io.raftswarm.common.fabric.GoDurations;
import io.raftswarm.swarm.channel.ChannelUpdate;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code raftswarm channel}: create a channel on a running network, list what the orderers serve
 * (osnadmin channel list), and join a peer ({@code peer channel join -b mychannel.block}).
 */
@Command(name = "channel", mixinStandardHelpOptions = true, description = "Create, list, join and update channels",
    subcommands = {ChannelCommand.Create.class, ChannelCommand.ListChannels.class, ChannelCommand.Join.class,
        ChannelCommand.Update.class,
        CommandLine.HelpCommand.class})
public final class ChannelCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a channel on the running network, like an existing one.",
          "Its genesis block has the configuration of an existing channel (consenters, orgs, Raft and",
          "batch options); every consenter joins it through its channel participation API (as osnadmin",
          "channel join), then every peer once the channel has a Raft leader. Safe to run again after a",
          "failure. Needs the orderers' admin endpoints (network.json).",
          "Example: raftswarm channel create -C thirdchannel"})
  static final class Create implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(names = {"-C", "--channelID"}, required = true, paramLabel = "CHANNEL",
        description = "Name of the new channel: lower case letters, digits, '.' and '-', starting with a letter")
    String channel;

    @Option(names = "--like", paramLabel = "CHANNEL",
        description = "Existing channel whose configuration the new one copies (default: the network's first channel)")
    String like;

    @Option(names = "--leader-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long to wait for the new channel's Raft leader (default: ${DEFAULT-VALUE})")
    int leaderTimeoutSeconds;

    @Override
    public Integer call() {
      if (!io.raftswarm.common.fabric.ChannelConfig.isValidChannelId(channel)) {
        throw new UserError("'" + channel + "' is not a valid channel name: lower case letters, digits, '.' and '-',"
            + " starting with a letter (e.g. thirdchannel)");
      }
      var profile = client.profile();
      String template = like != null ? like : profile.channels().stream().findFirst()
          .orElseThrow(() -> new UserError("network " + profile.name() + " has no channel to copy; pass --like"));
      var out = spec.commandLine().getOut();
      try (FabricClient fabric = client.client()) {
        new io.raftswarm.swarm.channel.ChannelCreation(profile, client.networkDir(), out)
            .create(channel, template, fabric, java.time.Duration.ofSeconds(leaderTimeoutSeconds));
      } catch (FabricClientException e) {
        throw new UserError(e.failure() + ": " + e.getMessage(), e);
      }
      out.println("Channel " + channel + " created: every orderer and peer joined it");
      return 0;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = {"Change a running channel's batch settings through a config update.",
          "As Fabric admins do with peer channel fetch config / configtxlator compute_update / peer",
          "channel update: the orderer org's admin signs it (policy /Channel/Orderer/Admins) and every",
          "orderer applies it from the next block on.",
          "Example: raftswarm channel update -C mychannel --max-message-count 500 --batch-timeout 200ms"})
  static final class Update implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(names = {"-C", "--channelID"}, required = true, paramLabel = "CHANNEL")
    String channel;

    @Option(names = "--max-message-count", paramLabel = "N", description = "BatchSize.MaxMessageCount: transactions per block")
    Integer maxMessageCount;

    @Option(names = "--batch-timeout", paramLabel = "DURATION",
        description = "BatchTimeout, a Go duration (200ms, 2s): how long a block waits to fill")
    String batchTimeout;

    @Option(names = "--preferred-max-bytes", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "BatchSize.PreferredMaxBytes: bytes, or 512 KB, 2 MB (1024-based, as in configtx.yaml)")
    Integer preferredMaxBytes;

    @Option(names = "--absolute-max-bytes", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "BatchSize.AbsoluteMaxBytes: bytes, or 10 MB, 99 MB; the orderers refuse more than their heap holds")
    Integer absoluteMaxBytes;

    @Option(names = {"-o", "--orderer"}, paramLabel = "ORDERER",
        description = "Orderer to read the config from and submit to (default: the first; the others are tried if it cannot)")
    String orderer;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long to wait for the orderer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
      Duration timeout = null;
      if (batchTimeout != null) {
        try {
          timeout = GoDurations.parse(batchTimeout);
        } catch (IllegalArgumentException e) {
          throw new UserError("--batch-timeout " + batchTimeout + ": " + e.getMessage() + " (e.g. 200ms, 2s)", e);
        }
      }
      var profile = client.profile();
      if (!profile.channels().contains(channel)) {
        throw new UserError("network " + profile.name() + " has no channel " + channel + " (channels: " + profile.channels() + ")");
      }
      String via = orderer != null ? orderer : profile.orderers().get(0).name();
      try (FabricClient fabric = client.client()) {
        new ChannelUpdate(profile, spec.commandLine().getOut()).updateBatch(channel,
            new ChannelUpdate.BatchChange(maxMessageCount, timeout, preferredMaxBytes, absoluteMaxBytes),
            fabric, via, Duration.ofSeconds(timeoutSeconds));
      } catch (FabricClientException e) {
        throw new UserError(e.failure() + ": " + e.getMessage(), e);
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"The channels each orderer serves, from its channel participation API (osnadmin channel list).",
          "Example: raftswarm channel list"})
  static final class ListChannels implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      var profile = client.profile();
      io.raftswarm.swarm.client.ClientIdentity admin;
      try {
        admin = io.raftswarm.swarm.client.ClientIdentity.ordererAdmin(profile);
      } catch (FabricClientException e) {
        throw new UserError(e.getMessage(), e);
      }
      var out = spec.commandLine().getOut();
      int unreachable = 0;
      for (var orderer : profile.orderers()) {
        try {
          var participation = io.raftswarm.swarm.client.ParticipationClient.of(orderer, admin);
          StringBuilder line = new StringBuilder();
          for (String name : participation.list()) {
            long height = participation.info(name).map(i -> i.height()).orElse(0L);
            line.append(line.length() == 0 ? "" : ", ").append(name).append(" (height ").append(height).append(')');
          }
          out.printf("%-28s %s%n", orderer.name(), line.length() == 0 ? "no channels" : line);
        } catch (FabricClientException e) {
          unreachable++;
          out.printf("%-28s UNREACHABLE: %s%n", orderer.name(), e.getMessage());
        }
      }
      return unreachable == 0 ? 0 : 1;
    }
  }

  @Command(name = "join", mixinStandardHelpOptions = true,
      description = {"Join a peer to a channel with the channel's genesis block (cscc JoinChain).",
          "Example: raftswarm channel join -C mychannel --peerAddress peer0.org1.example.com"})
  static final class Join implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(names = {"-C", "--channelID"}, required = true, paramLabel = "CHANNEL")
    String channel;

    @Option(names = {"--peerAddress", "--peerAddresses"}, required = true, paramLabel = "PEER",
      description = "Peer name, e.g. peer0.org1.example.com or peer0.org1.example.com:7051 (resolved through network.json)")
    String peer;

    @Option(names = {"-b", "--blockpath"}, paramLabel = "FILE",
        description = "Genesis block (default: <network>/channel-artifacts/<channel>.block)")
    Path block;

    @Override
    public Integer call() {
      Path genesis = block != null ? block : client.networkDir().resolve("channel-artifacts").resolve(channel + ".block");
      if (!Files.isRegularFile(genesis)) {
        throw new UserError("genesis block " + genesis.toAbsolutePath() + " not found; pass -b FILE or run raftswarm render");
      }
      try (FabricClient fabric = client.client()) {
        boolean joined = fabric.joinChannel(peer, genesis);
        spec.commandLine().getOut().println(joined
            ? "Successfully submitted proposal to join channel " + channel + " on " + peer
            : "Peer " + peer + " had already joined channel " + channel);
        return 0;
      } catch (FabricClientException e) {
        throw new UserError(e.failure() + ": " + e.getMessage(), e);
      }
    }
  }
}
