package io.raftswarm.swarm.inventory;

import io.raftswarm.swarm.error.UserError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The inventory cannot be used. The message lists every problem found (not just the first), one
 * per line, each starting with {@code file:line: field:}, so the operator fixes them in one go.
 */
public final class InventoryException extends UserError {
  private final List<Problem> problems;

  public InventoryException(List<Problem> problems) {
    super(format(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InventoryException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    if (problems.size() == 1) {
      return problems.get(0).toString();
    }
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"))
        + "\n(" + problems.size() + " problems in the inventory)";
  }
}
