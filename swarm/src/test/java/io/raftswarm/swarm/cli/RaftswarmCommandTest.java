package io.raftswarm.swarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code main} builds only the subcommand it runs ({@link RaftswarmCommand#commandLineFor}); what a
 * user sees must not depend on that: the same usage, errors and exit codes as the full tree.
 */
class RaftswarmCommandTest {

  /** Every command path under the root: [drill], [drill, kill-leader], [query], ... */
  private static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(RaftswarmCommand.newCommandLine(), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine command, List<String> prefix, List<List<String>> paths) {
    command.getSubcommands().forEach((name, sub) -> {
      List<String> path = new ArrayList<>(prefix);
      path.add(name);
      paths.add(path);
      collect(sub, path, paths);
    });
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(Function<String[], CommandLine> factory, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = factory.apply(args);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run full(String... args) {
    return run(a -> RaftswarmCommand.newCommandLine(), args);
  }

  private static Run lean(String... args) {
    return run(RaftswarmCommand::commandLineFor, args);
  }

  @Test
  void a_named_subcommand_is_built_alone() {
    CommandLine cl = RaftswarmCommand.commandLineFor(new String[] {"query", "-C", "mychannel"});
    assertThat(cl.getSubcommands()).containsOnlyKeys("query");
    assertThat(RaftswarmCommand.commandLineFor(new String[] {"--help"}).getSubcommands()).hasSizeGreaterThan(10);
    assertThat(RaftswarmCommand.commandLineFor(new String[] {"help", "query"}).getSubcommands()).hasSizeGreaterThan(10);
    assertThat(RaftswarmCommand.commandLineFor(new String[] {"no-such-command"}).getSubcommands()).hasSizeGreaterThan(10);
  }

  @Test
  void every_commands_help_is_the_same_as_with_the_full_tree() {
    List<List<String>> paths = commandPaths();
    assertThat(paths).hasSizeGreaterThan(20);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      String[] a = args.toArray(String[]::new);
      if (path.get(0).equals("help")) {
        continue; // the help command takes command names, not --help
      }
      assertThat(lean(a)).as(String.join(" ", a)).isEqualTo(full(a));
    }
  }

  @Test
  void errors_and_exit_codes_are_the_same_as_with_the_full_tree() {
    String[][] cases = {
        {"query"},
        {"query", "--no-such-option"},
        {"invoke", "-C", "mychannel"},
        {"status", "--network", "/nonexistent/raftswarm-net"},
        {"drill", "no-such-drill"},
        {"channel", "create"},
        {"help", "query"},
        {"-V"},
    };
    for (String[] args : cases) {
      Run lean = lean(args);
      assertThat(lean).as(String.join(" ", args)).isEqualTo(full(args));
      assertThat(lean.out() + lean.err()).as(String.join(" ", args)).isNotBlank();
    }
  }
}
