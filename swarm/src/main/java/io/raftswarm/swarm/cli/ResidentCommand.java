package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.cli.resident.ResidentClient;
import io.raftswarm.swarm.cli.resident.ResidentServer;
import io.raftswarm.swarm.error.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code raftswarm resident}: the long-lived JVM that answers invoke, query and status in a fraction of a second. */
@Command(
    name = "resident",
    mixinStandardHelpOptions = true,
    description = {
        "Run, stop or check the resident CLI that answers invoke, query and status without a JVM start.",
        "",
        "The resident CLI is one JVM per user and build that runs invoke, query and",
        "status for scripts/raftswarm, so a call does not pay a JVM's start",
        "(~1.3 s in a JVM of its own, ~0.3-0.4 s served). scripts/raftswarm starts it",
        "in the background after the first of those commands and uses it from the",
        "next one on. It stops by itself after --idle-minutes without a request,",
        "when the CLI is rebuilt, or when its socket file is removed. It listens on",
        "a Unix socket in swarm/target/resident/ (mode 700) and serves only its own",
        "user. RAFTSWARM_RESIDENT=0 turns it off; its log is",
        "swarm/target/resident/<uid>.log.",
        ""
    },
    subcommands = {ResidentCommand.Serve.class, ResidentCommand.Stop.class, ResidentCommand.Status.class})
public final class ResidentCommand implements Runnable {
  /** What the resident JVM runs; everything else goes to a JVM of its own. */
  static final Set<String> SERVED = Set.of("invoke", "query", "status");
  /** Settings read once per JVM (launcher, logging, providers): a caller with other values gets a JVM of its own. */
  static final List<String> PROCESS_WIDE = List.of("RAFTSWARM_JAVA", "RAFTSWARM_JAVA_OPTS", "RAFTSWARM_LOG",
      "RAFTSWARM_ECDSA", "RAFTSWARM_TLS_PROVIDER");

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code --socket}: the resident CLI's Unix socket. */
  static final class SocketOption {
    @Option(names = "--socket", paramLabel = "PATH",
        description = "The resident CLI's Unix socket (default: swarm/target/resident/<uid>.sock)")
    Path socket;

    Path path() {
      return socket != null ? socket : defaultSocket();
    }
  }

  /** The socket when not given: under the checkout's swarm/target, one per user. */
  static Path defaultSocket() {
    String home = System.getProperty("raftswarm.home");
    if (home == null) {
      throw new UserError("no --socket given and not started by scripts/raftswarm (no raftswarm.home); pass --socket PATH");
    }
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Path.of(home, "swarm", "target", "resident", uid + ".sock");
    } catch (IOException | UnsupportedOperationException e) {
      throw new UserError("cannot tell this user's uid (" + e.getMessage() + "); pass --socket PATH");
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = {"Run the resident CLI in the foreground (scripts/raftswarm starts it in the background).",
          "Exits at once when one already serves the socket."})
  static final class Serve implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin SocketOption socket;

    @Option(names = "--warm-up-in", paramLabel = "DIR",
        description = "Directory the warm-up command's relative paths mean (default: this one)")
    Path warmUpDir;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
        description = "A command to warm up with, read-only: a query or status as given, an invoke as a query "
            + "of its proposal on its first peer (nothing is ordered). scripts/raftswarm passes the command "
            + "after which it started this JVM, so the next call finds its code compiled.")
    List<String> warmUp;

    @Option(names = "--idle-minutes", paramLabel = "N", defaultValue = "10",
        description = "Stop after N minutes without a request (default: ${DEFAULT-VALUE})")
    int idleMinutes;

    @Override
    public Integer call() throws IOException {
      if (idleMinutes < 1) {
        throw new UserError("--idle-minutes must be at least 1, got " + idleMinutes);
      }
      Path at = socket.path();
      PrintWriter out = spec.commandLine().getOut();
      ResidentServer server;
      try {
        server = ResidentServer.bind(new ResidentServer.Settings(at, Duration.ofMinutes(idleMinutes), thisJar(), SERVED,
                processWide(System.getenv())),
            ResidentCommand::runFor, spec.commandLine().getErr());
      } catch (IOException e) {
        throw new UserError("cannot serve " + at + ": " + e.getMessage(), e);
      }
      if (server == null) {
        out.println("a resident CLI already serves " + at);
        return 0;
      }
      if (warmUp != null && !warmUp.isEmpty()) {
        Thread warm = new Thread(() -> warmUp(server), "resident-warm-up");
        warm.setDaemon(true);
        warm.start();
      }
      server.serve();
      return 0;
    }

    /** Runs the warm-up command with its output dropped; logs how long it took. */
    private void warmUp(ResidentServer server) {
      long start = System.nanoTime();
      Path dir = warmUpDir != null ? warmUpDir.toAbsolutePath() : Path.of("").toAbsolutePath();
      try {
        List<String> args = readOnly(warmUp, new Invocation(dir, System.getenv()));
        if (args.isEmpty()) {
          return;
        }
        PrintWriter drop = new PrintWriter(Writer.nullWriter());
        int code = runFor(args, dir, System.getenv(), false, drop, drop);
        server.log("warmed up with " + args.get(0) + " → " + code + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      } catch (RuntimeException e) {
        server.log("warm-up failed: " + e);
      }
    }

    /** The read-only form of {@code args}: itself for query and status, a proposal's simulation for invoke; else none. */
    static List<String> readOnly(List<String> args, Invocation caller) {
      String[] argv = args.toArray(String[]::new);
      switch (args.get(0)) {
        case "query", "status" -> {
          return args;
        }
        case "invoke" -> {
          CommandLine cl = RaftswarmCommand.commandLineFor(argv, caller);
          CommandLine.ParseResult parsed = cl.parseArgs(argv);
          return ((InvokeCommand) parsed.subcommand().commandSpec().userObject()).simulationArgs();
        }
        default -> {
          return List.of();
        }
      }
    }

    private static Path thisJar() {
      try {
        Path jar = Path.of(ResidentCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.isRegularFile(jar) ? jar : null;  // classes directory (tests): no build to watch
      } catch (Exception e) {
        return null;
      }
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the resident CLI (commands then start their own JVM until it is started again).")
  static final class Stop implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin SocketOption socket;

    @Override
    public Integer call() {
      Path at = socket.path();
      spec.commandLine().getOut().println(ResidentClient.stop(at) ? "stopped the resident CLI at " + at
          : "no resident CLI runs at " + at);
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether the resident CLI runs (exit code 0) or not (3).")
  static final class Status implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin SocketOption socket;

    @Override
    public Integer call() {
      Path at = socket.path();
      boolean running = ResidentClient.running(at);
      spec.commandLine().getOut().println(running ? "running at " + at : "not running (" + at + ")");
      return running ? 0 : 3;
    }
  }

  /** This JVM's values of {@link #PROCESS_WIDE} (unset as ""). */
  static Map<String, String> processWide(Map<String, String> env) {
    Map<String, String> values = new java.util.HashMap<>();
    PROCESS_WIDE.forEach(name -> values.put(name, env.getOrDefault(name, "")));
    return values;
  }

  /** One served command: the CLI a cold JVM would run, with the caller's directory, environment and terminal. */
  static int runFor(List<String> args, Path workingDirectory, Map<String, String> environment, boolean ansi,
      PrintWriter out, PrintWriter err) {
    String[] argv = args.toArray(String[]::new);
    CommandLine cl = RaftswarmCommand.commandLineFor(argv, new Invocation(workingDirectory, environment));
    cl.setOut(out);
    cl.setErr(err);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    return cl.execute(argv);
  }
}
