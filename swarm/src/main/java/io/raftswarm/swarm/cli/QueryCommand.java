package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.error.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm query}: like {@code peer chaincode query}; prints the chaincode's answer. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Run a chaincode query on one peer (nothing is ordered) and print its result.",
        "Example: raftswarm query --peerAddress peer0.org2.example.com -C mychannel -n mycc -c '{\"Args\":[\"query\",\"a\"]}'"})
public final class QueryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = {"--peerAddress", "--peerAddresses"}, required = true, paramLabel = "PEER",
      description = "Peer name, e.g. peer0.org1.example.com or peer0.org1.example.com:7051 (resolved through network.json)")
  String peer;

  @Option(names = {"-C", "--channelID"}, required = true, paramLabel = "CHANNEL")
  String channel;

  @Option(names = {"-n", "--name"}, required = true, paramLabel = "CHAINCODE")
  String chaincode;

  @Option(names = {"-c", "--ctor"}, required = true, paramLabel = "JSON", description = "e.g. '{\"Args\":[\"query\",\"a\"]}'")
  String ctor;

  @Override
  public Integer call() {
    try (FabricClient fabric = client.client()) {
      spec.commandLine().getOut().println(fabric.query(peer, channel, chaincode, ClientOptions.args(ctor)));
      return 0;
    } catch (FabricClientException e) {
      throw new UserError(e.failure() + ": " + e.getMessage(), e);
    }
  }
}
