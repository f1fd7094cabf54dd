package io.raftswarm.swarm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code raftswarm} command line. Each subcommand is one class implementing
 * {@code Callable<Integer>}; register it in {@code subcommands} below.
 */
@Command(
    name = "raftswarm",
    mixinStandardHelpOptions = true,
    versionProvider = RaftswarmCommand.Version.class,
    description = {
        "Stand up a Fabric-style Raft ordering cluster across Docker Swarm hosts from one inventory file.",
        "Then use it, grow it and break it on purpose.",
        ""
    },
    subcommands = {
        CommandLine.HelpCommand.class,
        DrillCommand.class,
        InvokeCommand.class,
        QueryCommand.class,
        ChaincodeCommand.class,
        ChannelCommand.class,
        RenderCommand.class,
        ProvisionCommand.class,
        StatusCommand.class,
        RotateCertsCommand.class,
        DownCommand.class,
        BenchCommand.class,
        InviteCommand.class,
        JoinCommand.class,
        LeaveCommand.class,
        ResidentCommand.class,
    })
public final class RaftswarmCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLineFor(args).execute(args));
  }

  /** A configured command line with every subcommand; tests use it with their own writers. */
  public static CommandLine newCommandLine() {
    return configured(new CommandLine(new RaftswarmCommand()), Invocation.ofThisProcess());
  }

  /**
   * The command line {@code args} need: only the subcommand they name when the first argument
   * names one, else {@link #newCommandLine()}. Picocli builds the model of every registered
   * command by reflection before parsing, and its classes (Java 5 class files) cannot go into the
   * CLI's AOT cache, so each one costs interpreted start-up time: a fifth of {@code raftswarm
   * query}'s second went to building the fourteen commands it does not run. Usage and errors are
   * the same either way (RaftswarmCommandTest).
   */
  public static CommandLine commandLineFor(String[] args) {
    return commandLineFor(args, Invocation.ofThisProcess());
  }

  /** {@link #commandLineFor(String[])} for a caller other than this JVM (the resident CLI). */
  public static CommandLine commandLineFor(String[] args, Invocation invocation) {
    Class<?> named = args.length == 0 ? null : subcommand(args[0]);
    if (named == null) {
      return configured(new CommandLine(new RaftswarmCommand()), invocation);
    }
    CommandLine root = new CommandLine(new OneSubcommand());
    try {
      root.addSubcommand(CommandLine.defaultFactory().create(named));
    } catch (Exception e) {
      return configured(new CommandLine(new RaftswarmCommand()), invocation);
    }
    return configured(root, invocation);
  }

  /** The subcommand class registered under {@code name}, or null ({@code help} needs its siblings). */
  static Class<?> subcommand(String name) {
    for (Class<?> c : RaftswarmCommand.class.getAnnotation(Command.class).subcommands()) {
      Command command = c.getAnnotation(Command.class);
      if (c == CommandLine.HelpCommand.class) {
        continue;
      }
      if (command != null && command.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static CommandLine configured(CommandLine cl, Invocation invocation) {
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new UserFacingErrors(invocation.variable("RAFTSWARM_DEBUG") != null));
    // (after the subcommands are added: picocli gives converters and providers to those it has)
    cl.registerConverter(Path.class, invocation::path);
    // --network without a value: the caller's $RAFTSWARM_NETWORK, else ./raftswarm-net (null: picocli
    // falls back to the option's own default)
    cl.setDefaultValueProvider(option -> option instanceof CommandLine.Model.OptionSpec o
        && o.longestName().equals("--network") ? invocation.defaultNetworkDir().toString() : null);
    return cl;
  }

  /** The root for one subcommand: {@code raftswarm}'s name, options and version, no other subcommand. */
  @Command(name = "raftswarm", mixinStandardHelpOptions = true, versionProvider = RaftswarmCommand.Version.class)
  static final class OneSubcommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RaftswarmCommand.class.getPackage().getImplementationVersion();
      return new String[] {"raftswarm " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
