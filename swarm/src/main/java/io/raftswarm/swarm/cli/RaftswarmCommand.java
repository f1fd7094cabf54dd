package io.raftswarm.swarm.cli;

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
    })
public final class RaftswarmCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A configured command line; tests use it with their own writers. */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new RaftswarmCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new UserFacingErrors());
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RaftswarmCommand.class.getPackage().getImplementationVersion();
      return new String[] {"raftswarm " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
