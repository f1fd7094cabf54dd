package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.invite.Inviter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code raftswarm invite HOST}: hand an invited host its bundle and the line that joins it. */
@Command(
    name = "invite",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Let an invited host (invite: true in the inventory) join, without SSH to it.",
        "",
        "Run on this (the manager's operator) machine after 'raftswarm provision'. Reads the",
        "swarm join token from the manager's engine (over SSH), packs HOST's bundle (its",
        "compose file and crypto, the channel blocks, the image tars, its org's admin if it",
        "runs peers), serves it once over HTTPS on a fresh self-signed certificate under a",
        "random path, and prints ONE line for HOST's operator:",
        "  raftswarm join --manager ADDR:2377 --token SWMTKN-... --bundle https://ADDR:PORT/TOKEN/HOST.tar",
        "      --tls-sha256 CERT-SHA256 --sha256 BUNDLE-SHA256",
        "The line carries secrets (the swarm token, the path): pass it privately.",
        "Exits 0 once the bundle was fetched completely, 1 at the timeout.",
        ""
    },
    footer = {"", "Example:", "  raftswarm invite host2 --network ./raftswarm-net --timeout 10m"})
public final class InviteCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "HOST", description = "The invited host (its name in the inventory).")
  String host;

  @Option(names = "--network", paramLabel = "DIR",
      description = "Directory with network.json (default: $RAFTSWARM_NETWORK, else ./raftswarm-net)")
  Path network;

  @Option(names = "--listen", paramLabel = "ADDR:PORT",
      description = "Where to serve the bundle (default: any address, a free port; the URL names this"
          + " machine's address towards HOST).")
  String listen;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
      description = "How long to serve (default ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  static InetSocketAddress parseListen(String text) {
    if (text == null) {
      return null;
    }
    int colon = text.lastIndexOf(':');
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (colon <= 0 || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)), port);
    } catch (NumberFormatException | UnknownHostException e) {
      throw new UserError("--listen '" + text + "' must be ADDR:PORT, e.g. 10.77.0.254:8444 or 0.0.0.0:0");
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    boolean fetched = new Inviter(new Inviter.Options(ProvisionCommand.defaultNetworkDir(network), host,
        parseListen(listen), InvokeCommand.parseDuration(timeout)), out).run();
    if (!fetched) {
      spec.commandLine().getErr().println("error: nobody fetched " + host + "'s bundle within " + timeout
          + "; the line printed above is dead now. Run raftswarm invite " + host + " again when " + host
          + "'s operator is ready, and give them the new line");
      return 1;
    }
    return 0;
  }
}
