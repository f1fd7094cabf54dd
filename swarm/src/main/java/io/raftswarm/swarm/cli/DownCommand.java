package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.provision.Teardown;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm down}: removes what provision created on every host. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
        "Remove a provisioned network from every host of the inventory.",
        "",
        "Runs compose down on each host's own",
        "engine (plus any container labelled with this network), remove the overlay network,",
        "leave the swarm on every host, and delete <workDir>/bundle and <workDir>/data.",
        "Loaded images stay. Safe to run again.",
        ""
    })
public final class DownCommand implements Callable<Integer> {

  @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE",
      description = "The inventory the network was provisioned from.")
  Path inventory;

  @Option(names = "--keep-data", description = "Keep the ledgers in <workDir>/data.")
  boolean keepData;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    new Teardown(inventory, keepData, spec.commandLine().getOut()).run();
    spec.commandLine().getOut().println("down: done");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
