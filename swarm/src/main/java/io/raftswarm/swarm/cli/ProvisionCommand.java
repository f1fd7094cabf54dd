package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.provision.ProvisionReport;
import io.raftswarm.swarm.provision.Provisioner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm provision}: inventory in, running verified network out. */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Bring up the network an inventory describes on its hosts, over SSH only.",
        "",
        "Steps: render, preflight every host (nothing changes before it passes), ship",
        "bundles and images, docker swarm",
        "init/join, the attachable overlay network, each host's compose file on that host's",
        "own engine, wait for health and one Raft leader per channel, join the peers, deploy",
        "the demo chaincodes, smoke-invoke, and print a summary with the time of each step.",
        "",
        "Idempotent: re-running with no change reports every step 'unchanged'; after a",
        "failure, fix the cause and re-run to resume. 'raftswarm down' rolls back.",
        ""
    },
    footer = {
        "",
        "Example:",
        "  raftswarm provision --inventory /var/lib/lab/inventory.yml",
        "  raftswarm status",
    })
public final class ProvisionCommand implements Callable<Integer> {

  @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE",
      description = "The inventory (hosts.yml).")
  Path inventory;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Network directory (network.json, crypto, bundles). Default:"
          + " $RAFTSWARM_NETWORK, else ./raftswarm-net")
  Path out;

  @Option(names = "--json", description = "Print the report as JSON instead of tables.")
  boolean json;

  @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "How long to wait for every node's /healthz (default ${DEFAULT-VALUE}).")
  int healthTimeout;

  @Option(names = "--leader-timeout", paramLabel = "SECONDS", defaultValue = "90",
      description = "How long to wait for one agreed leader per channel (default ${DEFAULT-VALUE}).")
  int leaderTimeout;

  @Spec CommandSpec spec;

  static Path defaultNetworkDir(Path given) {
    if (given != null) {
      return given;
    }
    String env = System.getenv("RAFTSWARM_NETWORK");
    return Path.of(env == null || env.isBlank() ? "raftswarm-net" : env);
  }

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    // With --json, progress goes to stderr so stdout is only the report.
    PrintWriter progress = json ? spec.commandLine().getErr() : o;
    Provisioner provisioner = new Provisioner(new Provisioner.Options(inventory,
        defaultNetworkDir(out), Duration.ofSeconds(healthTimeout), Duration.ofSeconds(leaderTimeout)),
        progress);
    ProvisionReport report = provisioner.run();
    if (json) {
      o.println(report.toJson());
    } else {
      report.print(o);
      o.println("network: " + report.outDir() + "/network.json   (raftswarm status, invoke, query"
          + " read it; export RAFTSWARM_NETWORK=" + report.outDir() + ")");
    }
    provisioner.printNextSteps(progress);
    o.flush();
    // Under load the nodes are rarely at one height at the same instant; a consistent network is fine.
    return report.status().healthy() || report.status().consistent() ? 0 : 3;
  }
}
