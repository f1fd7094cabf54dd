package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.client.InvokeRequest;
import io.raftswarm.swarm.client.InvokeResult;
import io.raftswarm.swarm.error.UserError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm invoke}: like {@code peer chaincode invoke}, with node names resolved through network.json. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
    description = {"Endorse a chaincode invocation, order it through an orderer, wait for the commit.",
        "Collects endorsements from every --peerAddresses peer, checks they agree, signs the transaction,",
        "broadcasts it through the chosen orderer and (with --waitForEvent) reports how it was committed.",
        "Example: raftswarm invoke -o orderer7.example.com:7050 -C mychannel -n mycc "
            + "-c '{\"Args\":[\"invoke\",\"a\",\"b\",\"10\"]}' --peerAddresses peer0.org1.example.com:7051 "
            + "--peerAddresses peer0.org2.example.com:7051 --waitForEvent"})
public final class InvokeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = {"-o", "--orderer"}, required = true, paramLabel = "ORDERER", description = "Orderer name or name:port")
  String orderer;

  @Option(names = {"-C", "--channelID"}, required = true, paramLabel = "CHANNEL")
  String channel;

  @Option(names = {"-n", "--name"}, required = true, paramLabel = "CHAINCODE")
  String chaincode;

  @Option(names = {"-c", "--ctor"}, required = true, paramLabel = "JSON", description = "e.g. '{\"Args\":[\"invoke\",\"a\",\"b\",\"10\"]}'")
  String ctor;

  @Option(names = "--peerAddresses", required = true, paramLabel = "PEER", description = "Endorsing peer (repeat for each org)")
  List<String> peers;

  @Option(names = "--waitForEvent", description = "Wait until the first peer reports the transaction committed")
  boolean waitForEvent;

  @Option(names = "--orderer-any", description = "If the orderer has no leader or is down, try the other orderers")
  boolean ordererAny;

  @Option(names = "--waitForEventTimeout", defaultValue = "30s", paramLabel = "DURATION", description = "default: ${DEFAULT-VALUE}")
  String timeout;

  /**
   * A {@code query} that simulates this invoke's proposal on its first endorsing peer and orders
   * nothing: what the resident CLI warms up with after an invoke (a Fabric peer only simulates a
   * proposal; nothing is written until an orderer orders it).
   */
  List<String> simulationArgs() {
    return List.of("query", "--network", client.networkDir().toString(), "--user", client.user,
        "--peerAddress", peers.get(0), "-C", channel, "-n", chaincode, "-c", ctor);
  }

  @Override
  public Integer call() {
    InvokeRequest request = new InvokeRequest(channel, chaincode, ClientOptions.args(ctor), peers, orderer, waitForEvent,
        ordererAny, parseDuration(timeout));
    var out = spec.commandLine().getOut();
    try (FabricClient fabric = client.client()) {
      InvokeResult result = fabric.invoke(request);
      for (String tried : result.triedOrderers()) {
        out.println("orderer failed over: " + tried);
      }
      out.println("Chaincode invoke successful. result: status:" + result.chaincodeStatus()
          + (result.payload().isEmpty() ? "" : " payload:\"" + result.payload() + "\"")
          + " txid:" + result.txId() + " orderer:" + result.orderer());
      if (result.validationCode().isPresent()) {
        String line = "txid [" + result.txId() + "] committed with status (" + result.validationCode().get()
            + ") in block " + result.blockNumber() + " at " + peers.get(0);
        if (!result.isValid()) {
          throw new UserError(line);
        }
        out.println(line);
      }
      return 0;
    } catch (FabricClientException e) {
      throw new UserError(e.failure() + ": " + e.getMessage(), e);
    }
  }

  /** 30s, 500ms, 2m or plain seconds. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new UserError("duration '" + text + "' must look like 30s, 500ms or 2m");
    }
  }
}
