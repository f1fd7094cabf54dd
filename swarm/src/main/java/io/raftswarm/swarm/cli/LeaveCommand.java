package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.invite.Leaver;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm leave}: run on a host that joined with {@code raftswarm join}, to take it out again. */
@Command(
    name = "leave",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Take this host out of the network it joined with 'raftswarm join'.",
        "Run it ON this host, as root (it uses the local engine only; the inviting side's",
        "'raftswarm down' leaves it alone).",
        "",
        "docker-compose down of this host's compose file, removes any container still labelled with",
        "the network, leaves the swarm (a manager first demotes itself, so the managers that stay",
        "keep their quorum), then deletes the bundle, the join kit and the ledgers under the work",
        "directory (--keep-data keeps the ledgers). Safe to repeat.",
        "",
        "Example: raftswarm leave --work-dir /srv/raftswarm"
    })
public final class LeaveCommand implements Callable<Integer> {
  @Option(names = "--work-dir", required = true, paramLabel = "DIR",
      description = "The work directory the join used (it holds bundle/, join/ and data/).")
  Path workDir;

  @Option(names = "--docker", paramLabel = "unix:///PATH", defaultValue = "unix:///var/run/docker.sock",
      description = "The local engine (default ${DEFAULT-VALUE}).")
  String docker;

  @Option(names = "--keep-data", description = "Keep the ledgers in <work-dir>/data.")
  boolean keepData;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    new Leaver(new Leaver.Options(workDir, docker, keepData), spec.commandLine().getOut()).run();
    return 0;
  }
}
