package io.raftswarm.swarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code channel update} takes block sizes as the inventory and configtx.yaml write them. */
class ChannelUpdateOptionsTest {

  @Test
  void sizes_are_read_like_configtx_yaml() {
    ChannelCommand.Update update = parse("--absolute-max-bytes", "99 MB", "--preferred-max-bytes", "512KB");
    assertThat(update.absoluteMaxBytes).isEqualTo(99 * 1024 * 1024);
    assertThat(update.preferredMaxBytes).isEqualTo(512 * 1024);
    assertThat(parse("--absolute-max-bytes", "1048576").absoluteMaxBytes).isEqualTo(1048576);
  }

  @Test
  void a_size_that_is_not_one_or_is_too_large_is_refused_with_the_expected_form() {
    assertThatThrownBy(() -> parse("--absolute-max-bytes", "lots"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'lots' is not a size like 512 KB, 99 MB or a number of bytes below 2 GB");
    assertThatThrownBy(() -> parse("--absolute-max-bytes", "3 GB"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'3 GB' is not");
  }

  private static ChannelCommand.Update parse(String... options) {
    CommandLine root = RaftswarmCommand.newCommandLine();
    String[] args = new String[options.length + 4];
    args[0] = "channel";
    args[1] = "update";
    args[2] = "-C";
    args[3] = "mychannel";
    System.arraycopy(options, 0, args, 4, options.length);
    CommandLine.ParseResult result = root.parseArgs(args);
    return (ChannelCommand.Update) result.subcommand().subcommand().commandSpec().userObject();
  }
}
