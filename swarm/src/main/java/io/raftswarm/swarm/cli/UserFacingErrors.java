package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.error.UserText;
import picocli.CommandLine;

/**
 * Turns exceptions into one clear line for the operator instead of a stack trace. A
 * {@link UserError} is expected (bad input, unreachable host...) and exits with 2; anything else
 * is a bug or an environment failure and exits with 1 (stack trace with {@code RAFTSWARM_DEBUG=1}).
 * Messages can carry operator input (names from an inventory, paths), so they are printed
 * through {@link UserText}: no control character or escape sequence reaches the terminal.
 */
final class UserFacingErrors implements CommandLine.IExecutionExceptionHandler {
  private final boolean debug;

  /** @param debug print stack traces ({@code RAFTSWARM_DEBUG} set) */
  UserFacingErrors(boolean debug) {
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    var err = cmd.getErr();
    if (ex instanceof UserError) {
      err.println(cmd.getColorScheme().errorText("error: " + UserText.escapeKeepingLines(ex.getMessage())));
      return 2;
    }
    err.println(cmd.getColorScheme().errorText("error: " + UserText.escape(ex)));
    if (debug) {
      ex.printStackTrace(err);
    } else {
      err.println("(set RAFTSWARM_DEBUG=1 for the stack trace)");
    }
    return 1;
  }
}
