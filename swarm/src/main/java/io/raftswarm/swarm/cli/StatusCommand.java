package io.raftswarm.swarm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.NetworkStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm status}: per channel, every node's role, term, leader, height and hash; certificate expiry. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
        "Show Raft roles, leaders, heights and hashes of every node, per channel.",
        "",
        "Per channel: every orderer's host, Raft role, term, leader, block height and",
        "last block hash, every peer's height and hash, and whether all nodes agree.",
        "Reads each node's operations /status at the endpoints in network.json.",
        "Then when each node's TLS and enrollment certificates expire (from the crypto",
        "tree network.json names), with a warning when fewer than 30 days are left.",
        "Exit code 0 when every channel has one leader and all nodes agree, else 3.",
        ""
    })
public final class StatusCommand implements Callable<Integer> {

  @Option(names = "--network", paramLabel = "DIR",
      description = "Directory with network.json (default: $RAFTSWARM_NETWORK, else ./raftswarm-net)")
  Path network;

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path file = ProvisionCommand.defaultNetworkDir(network).resolve("network.json");
    if (!Files.isRegularFile(file)) {
      throw new UserError("no network profile at " + file.toAbsolutePath() + "; run raftswarm"
          + " provision first, or pass --network DIR (or set RAFTSWARM_NETWORK)");
    }
    NetworkStatus status = NetworkStatus.query(NetworkProfile.read(file), new OperationsClient());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(status));
    } else {
      status.printTable(out);
    }
    out.flush();
    return status.healthy() ? 0 : 3;
  }
}
