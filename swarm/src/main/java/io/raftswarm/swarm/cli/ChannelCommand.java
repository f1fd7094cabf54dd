package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm channel join}: like {@code peer channel join -b mychannel.block}, as the Admin of the peer's org. */
@Command(name = "channel", mixinStandardHelpOptions = true, description = "Channel operations on peers",
    subcommands = {ChannelCommand.Join.class, CommandLine.HelpCommand.class})
public final class ChannelCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
