package io.raftswarm.swarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command list ({@code raftswarm --help}, {@code raftswarm channel --help}) shows the first line
 * of each subcommand's description only: that line must be a whole sentence, not half of one.
 */
class CommandListTest {

  @Test
  void every_command_summary_in_a_command_list_is_a_whole_sentence() {
    List<String> broken = new ArrayList<>();
    collect(RaftswarmCommand.newCommandLine(), broken);
    assertThat(broken).as("commands whose first description line is not a whole sentence").isEmpty();
  }

  private static void collect(CommandLine command, List<String> broken) {
    command.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().helpCommand()) {
        return;
      }
      String[] description = sub.getCommandSpec().usageMessage().description();
      String first = description.length == 0 ? "" : description[0].strip();
      // A sentence running on into the next line is cut in half in the list.
      boolean continues = description.length > 1 && !description[1].isBlank();
      if (first.isEmpty() || continues && !first.endsWith(".")) {
        broken.add(sub.getCommandSpec().qualifiedName() + ": \"" + first + "\"");
      }
      collect(sub, broken);
    });
  }
}
