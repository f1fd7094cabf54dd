package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.client.DeployRequest;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.client.InvokeResult;
import io.raftswarm.swarm.error.UserError;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm chaincode deploy}: Fabric 1.4's install + instantiate in one ordered transaction. */
@Command(name = "chaincode", mixinStandardHelpOptions = true,
    description = "Manage chaincodes (the peers have example02 and fabcar built in)",
    subcommands = {ChaincodeCommand.Deploy.class, CommandLine.HelpCommand.class})
public final class ChaincodeCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true,
      description = {"Deploy a built-in chaincode on a channel with an endorsement policy (ordered, like instantiate).",
          "Example: raftswarm chaincode deploy -C mychannel -n mycc -l example02 "
              + "-c '{\"Args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}' -P \"AND('Org1MSP.peer','Org2MSP.peer')\""})
  static final class Deploy implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(names = {"-C", "--channelID"}, required = true, paramLabel = "CHANNEL")
    String channel;

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME")
    String name;

    @Option(names = {"-l", "--lang"}, required = true, paramLabel = "TYPE", description = "Built-in chaincode: example02 or fabcar")
    String type;

    @Option(names = {"-v", "--ccversion"}, defaultValue = "1.0", paramLabel = "VERSION",
        description = "Chaincode version recorded in the deployment (default: ${DEFAULT-VALUE})")
    String version;

    @Option(names = {"-c", "--ctor"}, defaultValue = "{\"Args\":[]}", paramLabel = "JSON", description = "Init arguments")
    String ctor;

    @Option(names = {"-P", "--policy"}, required = true, paramLabel = "POLICY", description = "e.g. AND('Org1MSP.peer','Org2MSP.peer')")
    String policy;

    @Option(names = "--peerAddress", paramLabel = "PEER", description = "Endorsing peer (default: first peer of the user's org)")
    String peer;

    @Option(names = {"-o", "--orderer"}, paramLabel = "ORDERER", description = "Orderer (default: any, starting with the first)")
    String orderer;

    @Override
    public Integer call() {
      DeployRequest request = new DeployRequest(channel, name, type, version, ClientOptions.args(ctor), policy,
          Optional.ofNullable(peer), Optional.ofNullable(orderer));
      try (FabricClient fabric = client.client()) {
        InvokeResult result = fabric.deploy(request);
        String line = "Deployed chaincode " + name + " (" + type + " " + version + ") on " + channel + " with policy "
            + policy + ": txid [" + result.txId() + "] committed with status ("
            + result.validationCode().map(Enum::name).orElse("?") + ") in block " + result.blockNumber();
        if (!result.isValid()) {
          throw new UserError(line);
        }
        spec.commandLine().getOut().println(line);
        return 0;
      } catch (FabricClientException e) {
        throw new UserError(e.failure() + ": " + e.getMessage(), e);
      }
    }
  }
}
