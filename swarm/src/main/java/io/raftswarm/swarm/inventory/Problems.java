package io.raftswarm.swarm.inventory;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while an inventory is read, so all of them are reported at once. */
final class Problems {
  private final String file;
  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  void error(int line, String field, String what, String expected) {
    errors.add(new Problem(file, Math.max(1, line), field, what, expected));
  }

  void warning(int line, String field, String what, String expected) {
    warnings.add(new Problem(file, Math.max(1, line), field, what, expected));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  List<Problem> errors() {
    return List.copyOf(errors);
  }

  List<Problem> warnings() {
    return List.copyOf(warnings);
  }

  /** Throws when any error was recorded; errors sorted by line so they read top to bottom. */
  void throwIfAny() {
    if (!errors.isEmpty()) {
      List<Problem> sorted = new ArrayList<>(errors);
      sorted.sort((a, b) -> Integer.compare(a.line(), b.line()));
      throw new InventoryException(sorted);
    }
  }
}
