package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.drill.Drill;
import io.raftswarm.swarm.drill.DrillSettings;
import io.raftswarm.swarm.drill.DrillSetup;
import io.raftswarm.swarm.drill.KillLeaderDrill;
import io.raftswarm.swarm.drill.KillMinorityDrill;
import io.raftswarm.swarm.drill.LaggingFollowerDrill;
import io.raftswarm.swarm.drill.PartitionDrill;
import io.raftswarm.swarm.drill.RestartAllDrill;
import io.raftswarm.swarm.drill.RotateCertsDrill;
import io.raftswarm.swarm.drill.SilentLeaderDrill;
import io.raftswarm.swarm.drill.SlowNetworkDrill;
import io.raftswarm.swarm.drill.clock.DockerEngineWitness;
import io.raftswarm.swarm.drill.clock.EngineWitness;
import io.raftswarm.swarm.drill.fault.Containers;
import io.raftswarm.swarm.drill.fault.DockerContainers;
import io.raftswarm.swarm.drill.fault.HostShell;
import io.raftswarm.swarm.drill.fault.SshHostShell;
import io.raftswarm.swarm.drill.report.DrillReport;
import io.raftswarm.swarm.drill.report.HtmlReport;
import io.raftswarm.swarm.drill.report.JsonReport;
import io.raftswarm.swarm.drill.report.TextReport;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.verdict.SafetyChecker;
import io.raftswarm.swarm.drill.verdict.SafetyInputs;
import io.raftswarm.swarm.drill.verdict.SafetyVerdict;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.rotate.CertRotation;
import io.raftswarm.swarm.provision.rotate.RotationContext;
import io.raftswarm.swarm.remote.HostSessionCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code raftswarm drill ...}: break a running network on purpose (over SSH, as an operator
 * would), keep a signed load running, heal, and print the safety verdict with timings.
 * Exit code 0 = PASS, 1 = FAIL, 2 = could not run (the message says why).
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
        "Rehearse failures on a running network: kill, stop, freeze or blackhole the leader, partition "
            + "a host, slow the network down, restart or kill everything, lose a minority or the quorum, "
            + "leave a follower behind the others' purged Raft logs.",
        "A signed load runs throughout, the drill always heals (also on Ctrl-C), and it ends with a "
            + "safety verdict: every acknowledged tx exactly once, identical blocks on every orderer "
            + "and peer, equal peer state hashes. Reports: stdout (text or --json) and an HTML file "
            + "with a timeline. Exit code 0 = PASS, 1 = FAIL, 2 = could not run."
    },
    subcommands = {
        DrillCommand.KillLeader.class,
        DrillCommand.StopLeader.class,
        DrillCommand.FreezeLeader.class,
        DrillCommand.BlackholeLeader.class,
        DrillCommand.Partition.class,
        DrillCommand.SlowNetwork.class,
        DrillCommand.RestartAll.class,
        DrillCommand.KillAll.class,
        DrillCommand.KillMinority.class,
        DrillCommand.LaggingFollower.class,
        DrillCommand.RotateCerts.class,
        DrillCommand.Change.class,
        DrillCommand.Heal.class,
        DrillCommand.Verify.class,
        DrillCommand.TamperLedger.class,
    })
public final class DrillCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every drill subcommand shares. */
  static final class DrillOptions {
    @Mixin ClientOptions client;

    // Before network.json recorded the hosts' SSH logins and Docker sockets, drills read them from
    // the inventory; the option is still accepted so existing scripts keep working.
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", hidden = true,
        description = "Ignored: network.json carries the hosts' SSH logins and Docker sockets")
    Path inventory;

    @Option(names = "--json", description = "Print the report as JSON instead of text")
    boolean json;

    @Option(names = "--report-dir", paramLabel = "DIR",
        description = "Where to write the HTML and JSON reports (default: <network dir>/drills)")
    Path reportDir;

    @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "8",
        description = "How long each fault is held while observing (default: ${DEFAULT-VALUE})")
    int holdSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long to wait for an election, a catch-up or convergence before calling "
            + "it a failure (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--rate", paramLabel = "TX/S", defaultValue = "40",
        description = "Background load in transactions per second (default: ${DEFAULT-VALUE})")
    int rate;

    /** Added to the drill's hard time limit by drills that hold a fault for long (lagging-follower). */
    Duration extraDuration = Duration.ZERO;

    DrillSettings settings() {
      if (holdSeconds < 1 || holdSeconds > 600) {
        throw new UserError("--hold must be 1..600 seconds, got " + holdSeconds);
      }
      if (rate < 1 || rate > 2000) {
        throw new UserError("--rate must be 1..2000 tx/s, got " + rate);
      }
      if (timeoutSeconds < 5 || timeoutSeconds > 1800) {
        throw new UserError("--timeout must be 5..1800 seconds, got " + timeoutSeconds);
      }
      DrillSettings d = DrillSettings.defaults();
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      return new DrillSettings(d.warmup(), Duration.ofSeconds(holdSeconds), d.settle(),
          timeout, timeout, rate, d.maxDuration().plus(timeout.multipliedBy(4)).plus(extraDuration));
    }

    DrillSetup setup() {
      return setup(new HostSessionCache(client.profile()::host));
    }

    /** The drill's wiring over {@code sessions}, which the drill's own steps may share (and which it closes). */
    DrillSetup setup(HostSessionCache sessions) {
      NetworkProfile profile = client.profile();
      ClientIdentity identity = client.identity(profile);
      for (HostAccess h : profile.hosts()) {
        if (h.ssh() == null) {
          throw new UserError("drills reach the hosts over SSH, but " + client.networkDir().resolve("network.json")
              + " records no SSH login for host " + h.name() + " (written by an older raftswarm); run"
              + " raftswarm render or provision again with the same inventory and --out");
        }
      }
      Clock clock = Clock.systemUTC();
      // one SSH connection and Docker client per host, shared by the shell, the containers and the witness
      return new DrillSetup(profile, identity, new SshHostShell(profile, sessions),
          new DockerContainers(profile, sessions), new DockerEngineWitness(profile, sessions, clock), settings(), clock);
    }

    /** A setup that reaches no host (no SSH, no engine): for drills that inject no fault themselves. */
    DrillSetup setupWithoutHosts(String why) {
      NetworkProfile profile = client.profile();
      return new DrillSetup(profile, client.identity(profile), HostShell.none(why), Containers.none(why),
          EngineWitness.none(why), settings(), Clock.systemUTC());
    }

    Path reportDir() {
      return reportDir != null ? reportDir : client.networkDir().resolve("drills");
    }
  }

  /** Runs one drill and prints/writes its report; exit 0 on PASS, 1 on FAIL. */
  abstract static class DrillRun implements Callable<Integer> {
    @Mixin DrillOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract Drill drill();

    DrillSetup setup() {
      return options.setup();
    }

    @Override
    public Integer call() throws Exception {
      try (DrillSetup setup = setup()) {
        return run(options, spec, setup, drill());
      }
    }
  }

  /** Runs {@code drill} on {@code setup}, writes and prints its report; 0 on PASS, 1 on FAIL. */
  static int run(DrillOptions options, CommandLine.Model.CommandSpec spec, DrillSetup setup, Drill drill)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ZoneId zone = ZoneId.systemDefault();
    DrillReport report = setup.runner(err, zone).run(drill);
    write(report, options.reportDir(), zone, err);
    out.print(options.json ? new JsonReport(false).render(report) : new TextReport(zone).render(report));
    out.flush();
    return report.pass() ? 0 : 1;
  }

  static void write(DrillReport report, Path dir, ZoneId zone, PrintWriter err) {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(zone).format(report.started());
    try {
      Files.createDirectories(dir);
      Path html = dir.resolve(report.drill() + "-" + stamp + ".html");
      Path json = dir.resolve(report.drill() + "-" + stamp + ".json");
      Files.writeString(html, new HtmlReport(zone).render(report));
      Files.writeString(json, new JsonReport(true).render(report));
      err.println("report: " + html.toAbsolutePath() + " (JSON with raw samples: " + json.getFileName() + ")");
      err.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the drill report to " + dir, e);
    }
  }

  @Command(name = "kill-leader", mixinStandardHelpOptions = true,
      description = "kill -9 the Raft leader's container, measure election and failover, restart "
          + "it and measure its catch-up")
  static final class KillLeader extends DrillRun {
    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL",
        description = "Channel whose leader to kill (default: the first channel)")
    String channel;

    @Override
    Drill drill() {
      return new KillLeaderDrill(channel, false);
    }
  }

  @Command(name = "stop-leader", mixinStandardHelpOptions = true,
      description = "docker stop the Raft leader's container (SIGTERM: it hands leadership to a follower "
          + "and commits what it holds first), measure the pause and any refused transaction, restart it "
          + "and measure its catch-up")
  static final class StopLeader extends DrillRun {
    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL",
        description = "Channel whose leader to stop (default: the first channel)")
    String channel;

    @Override
    Drill drill() {
      return new KillLeaderDrill(channel, true);
    }
  }

  @Command(name = "freeze-leader", mixinStandardHelpOptions = true,
      description = "docker pause the Raft leader's container for --hold seconds (a gray failure: alive "
          + "but silent), unpause it; measure election and failover, check the thawed leader steps "
          + "down and catches up")
  static final class FreezeLeader extends DrillRun {
    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL",
        description = "Channel whose leader to freeze (default: the first channel)")
    String channel;

    @Override
    Drill drill() {
      return new SilentLeaderDrill(SilentLeaderDrill.Silence.FREEZE, channel);
    }
  }

  @Command(name = "blackhole-leader", mixinStandardHelpOptions = true,
      description = "Drop everything the Raft leader sends (iptables inside its own network namespace: "
          + "a one-way blackhole, it still receives) for --hold seconds, then restore; measure election "
          + "and failover, check the old leader steps down and catches up. Needs nsenter and iptables "
          + "on the host")
  static final class BlackholeLeader extends DrillRun {
    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL",
        description = "Channel whose leader to blackhole (default: the first channel)")
    String channel;

    @Override
    Drill drill() {
      return new SilentLeaderDrill(SilentLeaderDrill.Silence.BLACKHOLE, channel);
    }
  }

  @Command(name = "slow-network", mixinStandardHelpOptions = true,
      description = "Delay what every host sends to the other hosts (tc netem) for --hold seconds, then "
          + "remove the delay; expects ordering to continue with no leader change. Set --delay near the "
          + "orderers' election timeout to test it (the lab's inventory: 600-1,200 ms). Needs tc on the hosts; "
          + "where the kernel has no netem, iptables' NFQUEUE and python3 (a helper holds the packets)")
  static final class SlowNetwork extends DrillRun {
    @Option(names = "--delay", paramLabel = "MS", defaultValue = "150",
        description = "One-way delay between hosts in milliseconds (default: ${DEFAULT-VALUE})")
    int delayMs;

    @Option(names = "--jitter", paramLabel = "MS", defaultValue = "50",
        description = "Jitter (normal distribution) in milliseconds (default: ${DEFAULT-VALUE})")
    int jitterMs;

    @Override
    Drill drill() {
      if (delayMs < 1 || delayMs > 10_000) {
        throw new UserError("--delay must be 1..10000 ms, got " + delayMs);
      }
      if (jitterMs < 0 || jitterMs > delayMs) {
        throw new UserError("--jitter must be 0..--delay (" + delayMs + ") ms, got " + jitterMs);
      }
      return new SlowNetworkDrill(Duration.ofMillis(delayMs), Duration.ofMillis(jitterMs));
    }
  }

  @Command(name = "partition", mixinStandardHelpOptions = true,
      description = "Cut one host off from the others (iptables inside that host), check the "
          + "majority side commits and the minority side's clients only get errors, heal, "
          + "measure convergence")
  static final class Partition extends DrillRun {
    @Option(names = "--isolate", required = true, paramLabel = "HOST",
        description = "Host of the network to cut off (its name in network.json), e.g. host2")
    String host;

    @Override
    Drill drill() {
      return new PartitionDrill(host);
    }
  }

  @Command(name = "lagging-follower", mixinStandardHelpOptions = true,
      description = {
          "Make a follower fall behind until every other orderer has purged the Raft log entries it "
              + "misses (their /status raftLogStart passes its last entry), then let it back: it can "
              + "catch up only by pulling blocks. Checks it does, with no leader change, and the safety verdict.",
          "The lag ends once the others purged past it or after --max-lag. They purge after each "
              + "snapshot (the channel's SnapshotIntervalSize, counted as ~16 KB per block): on the lab's "
              + "inventory (16 MB) that is ~1,500 blocks, so run it with a higher --rate, e.g. --rate 400."
      })
  static final class LaggingFollower extends DrillRun {
    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL",
        description = "Channel to lag on (default: the first channel)")
    String channel;

    @Option(names = "--node", paramLabel = "ORDERER",
        description = "The follower to make lag, e.g. orderer3 (default: the last follower in network order)")
    String node;

    @Option(names = "--how", paramLabel = "cut|kill", defaultValue = "cut",
        description = "cut: iptables DROP both ways inside its network namespace, it keeps running (needs nsenter "
            + "and iptables on the host); kill: kill -9, then docker start (default: ${DEFAULT-VALUE})")
    String how;

    @Option(names = "--max-lag", paramLabel = "SECONDS", defaultValue = "300",
        description = "Longest the follower is kept behind while waiting for the purge (default: ${DEFAULT-VALUE})")
    int maxLagSeconds;

    private LaggingFollowerDrill.Lag lag() {
      return switch (how) {
        case "cut" -> LaggingFollowerDrill.Lag.CUT;
        case "kill" -> LaggingFollowerDrill.Lag.KILL;
        default -> throw new UserError("--how must be cut or kill, got " + how);
      };
    }

    @Override
    DrillSetup setup() {
      if (maxLagSeconds < 10 || maxLagSeconds > 3600) {
        throw new UserError("--max-lag must be 10..3600 seconds, got " + maxLagSeconds);
      }
      lag();
      options.extraDuration = Duration.ofSeconds(maxLagSeconds);
      return options.setup();
    }

    @Override
    Drill drill() {
      return new LaggingFollowerDrill(lag(), channel, node, Duration.ofSeconds(maxLagSeconds));
    }
  }

  @Command(name = "restart-all", mixinStandardHelpOptions = true,
      description = "Stop every container of the network, start them again, check the chain is "
          + "intact and ordering resumes")
  static final class RestartAll extends DrillRun {
    @Override
    Drill drill() {
      return new RestartAllDrill(false);
    }
  }

  @Command(name = "kill-all", mixinStandardHelpOptions = true,
      description = "kill -9 every orderer at once under load (a power cut of the ordering service), "
          + "start them again; check a leader is elected, no orderer lost a block and every "
          + "acknowledged transaction survived")
  static final class KillAll extends DrillRun {
    @Override
    Drill drill() {
      return new RestartAllDrill(true);
    }
  }

  @Command(name = "kill-minority", mixinStandardHelpOptions = true,
      description = "kill -9 3 of 7 orderers (still commits), then a 4th (stops committing, "
          + "clients get errors), then start them (recovers)")
  static final class KillMinority extends DrillRun {
    @Override
    Drill drill() {
      return new KillMinorityDrill();
    }
  }

  @Command(name = "rotate-certs", mixinStandardHelpOptions = true,
      description = "rotate-certs of one node under load (the same steps as raftswarm rotate-certs NODE: new TLS and "
          + "enrollment certificates, for an orderer the consenter's certificate updated in every channel config, "
          + "files installed, restart, verified), timing the restart from the engine's records; ends with the safety "
          + "verdict")
  static final class RotateCerts implements Callable<Integer> {
    @Mixin DrillOptions options;
    @Mixin RotationOptions rotation;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "NODE",
        description = "The node to rotate, e.g. orderer3 or peer0.org1")
    String node;

    @Override
    public Integer call() throws Exception {
      NetworkProfile profile = options.client.profile();
      CertRotation.select(profile, List.of(node)); // an unknown node fails here, before the drill starts
      HostSessionCache sessions = new HostSessionCache(profile::host);
      try (DrillSetup setup = options.setup(sessions); FabricClient fabric = options.client.client()) {
        // the rotation's file transfers share the drill's SSH connection per host
        return run(options, spec, setup, new RotateCertsDrill(node, restart -> new RotationContext(profile, options.client.networkDir(),
            fabric, ClientIdentity.ordererAdmin(profile), new OperationsClient(), sessions, restart, rotation.settings()),
            spec.commandLine().getErr()));
      }
    }
  }

  @Command(name = "change", mixinStandardHelpOptions = true,
      description = {"Run any change to the network as a drill: the command after -- runs under the "
          + "background load, ordering must go on, and the drill ends with the safety verdict — over "
          + "the network as the command left it when it added or removed nodes (network.json is read "
          + "again). Transactions refused while it ran are reported as unavailability.",
          "Examples: raftswarm drill change --network net -- scripts/raftswarm provision -i grown.yml -o net",
          "          raftswarm drill change --network net --load-to orderer.example.com -- "
              + "scripts/raftswarm provision -i shrunk.yml -o net"})
  static final class Change extends DrillRun {
    @Option(names = "--load-to", paramLabel = "ORDERER",
        description = "Send the load only to this orderer (repeatable; default: every orderer). Leave out "
            + "orderers the change removes: they refuse transactions once they left")
    List<String> loadTo = new java.util.ArrayList<>();

    @CommandLine.Parameters(arity = "1..*", paramLabel = "COMMAND",
        description = "The change to run, after --, e.g. -- scripts/raftswarm provision -i grown.yml -o net")
    List<String> command;

    // The command makes the change; the drill itself touches no host, so invited hosts (no SSH) are fine.
    @Override
    DrillSetup setup() {
      return options.setupWithoutHosts("drill change runs a command; it reaches no host itself");
    }

    @Override
    Drill drill() {
      return new io.raftswarm.swarm.drill.ChangeDrill(command, options.client.networkDir().resolve("network.json"), loadTo);
    }
  }

  @Command(name = "heal", mixinStandardHelpOptions = true,
      description = "Undo any drill: remove every iptables rule tagged raftswarm-drill on every "
          + "host and inside every network container, the drills' delays (tc netem, NFQUEUE), unpause every "
          + "paused network container and start every one that is not running")
  static final class Heal implements Callable<Integer> {
    @Mixin DrillOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (DrillSetup setup = options.setup()) {
        List<String> done = setup.faults().healEverything();
        if (done.isEmpty()) {
          out.println("nothing to heal: no drill rules, every container running");
        }
        done.forEach(out::println);
        out.flush();
        return done.stream().anyMatch(d -> d.contains("could not")) ? 1 : 0;
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Only the safety verdict, on the network as it is now (no fault, no load): "
          + "every orderer's chain intact and identical, peers agreeing")
  static final class Verify implements Callable<Integer> {
    @Mixin DrillOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ZoneId zone = ZoneId.systemDefault();
      Instant start = Instant.now();
      NetworkProfile profile = options.client.profile();
      ClientIdentity identity = options.client.identity(profile);
      // verify needs no SSH: a shell and containers that refuse keep the wiring in one place
      try (DrillSetup setup = new DrillSetup(profile, identity, HostShell.none("verify does not touch the hosts"),
          Containers.none("verify does not touch the hosts"), EngineWitness.none("verify does not touch the hosts"),
          DrillSettings.defaults(), Clock.systemUTC())) {
        SafetyInputs inputs = setup.collection().collect(List.of(), Set.of());
        SafetyVerdict verdict = new SafetyChecker(zone).check(inputs);
        Timeline empty = new Timeline(start, Instant.now(), List.of(), profile.channels(), Map.of(),
            List.of(), List.of());
        DrillReport report = new DrillReport("verify", profile.name(),
            "verdict only: chains of " + profile.orderers().size() + " orderers, state of "
                + profile.peers().size() + " peers", start, Instant.now(), List.of(), List.of(),
            List.of(), null, verdict, empty);
        out.print(options.json ? new JsonReport(false).render(report) : new TextReport(zone).render(report));
        out.flush();
        return verdict.pass() ? 0 : 1;
      }
    }
  }

  @Command(name = "tamper-ledger", hidden = true, mixinStandardHelpOptions = true,
      description = "TEST AID: corrupt one block of an orderer's ledger file in place (flips a byte of "
          + "its first envelope, rewrites the frame CRC) so 'drill verify' can prove it notices. "
          + "Copy the file first and restore it afterwards.")
  static final class TamperLedger implements Callable<Integer> {
    @Option(names = "--file", required = true, paramLabel = "FILE",
        description = "The ledger file, e.g. <workDir>/data/orderer3.example.com/.../blockfile_000000")
    Path file;

    @Option(names = "--block", required = true, paramLabel = "N", description = "Block number to alter")
    long block;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new UserError("no ledger file at " + file);
      }
      try {
        spec.commandLine().getOut().println(io.raftswarm.swarm.drill.fault.LedgerTamper.flipByteInBlock(file, block));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

}
