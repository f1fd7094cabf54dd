package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.invite.InviteLine;
import io.raftswarm.swarm.invite.Joiner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftswarm join ...}: run on an invited host, with the line {@code raftswarm invite} printed. */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Join this host to a network with the line 'raftswarm invite HOST' printed for it.",
        "Run it ON this host, as root (it uses the local engine); 'raftswarm invite' runs on the",
        "manager's operator machine.",
        "",
        "Fetches the bundle over HTTPS, trusting only the certificate with --tls-sha256;",
        "refuses a bundle whose SHA-256 is not --sha256 (nothing is unpacked then); unpacks it",
        "into the work directory; loads the images into the local engine; docker swarm join;",
        "docker-compose up of this host's compose file on the local engine; waits until its",
        "orderers are healthy and caught up; joins its peers to the channels; prints the",
        "network's status. Re-running the same line resumes.",
        ""
    })
public final class JoinCommand implements Callable<Integer> {

  @Option(names = "--manager", required = true, paramLabel = "ADDR:2377", description = "The swarm manager.")
  String manager;

  @Option(names = "--token", required = true, paramLabel = "SWMTKN-...", description = "The swarm join token.")
  String token;

  @Option(names = "--bundle", required = true, paramLabel = "URL", description = "https://ADDR:PORT/TOKEN/HOST.tar")
  String bundle;

  @Option(names = "--tls-sha256", required = true, paramLabel = "HEX",
      description = "SHA-256 of the serving certificate: the only one trusted.")
  String tlsSha256;

  @Option(names = "--sha256", required = true, paramLabel = "HEX", description = "SHA-256 of the bundle tar.")
  String sha256;

  @Option(names = "--docker", paramLabel = "unix:///PATH", defaultValue = "unix:///var/run/docker.sock",
      description = "The local engine (default ${DEFAULT-VALUE}).")
  String docker;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where bundle/ and data/ go (default: the workDir the inventory gives this host; the"
          + " compose file mounts paths under it).")
  Path workDir;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
      description = "How long each wait may take: overlay network, health, catch-up (default ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    InviteLine line = InviteLine.parse(String.join(" ", "--manager", manager, "--token", token, "--bundle", bundle,
        "--tls-sha256", tlsSha256, "--sha256", sha256));
    boolean ok = new Joiner(new Joiner.Options(line, docker, workDir, InvokeCommand.parseDuration(timeout)),
        spec.commandLine().getOut()).run();
    return ok ? 0 : 3;
  }
}
