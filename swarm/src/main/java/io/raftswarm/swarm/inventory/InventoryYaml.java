package io.raftswarm.swarm.inventory;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Composes the inventory text into snakeyaml nodes (line numbers kept) with limits fit for
 * untrusted input, and turns syntax errors into {@link Problem}s at their line.
 */
final class InventoryYaml {
  /**
   * An inventory nests 5 levels (document, hosts, a host, ssh, a value); 20 leaves room for
   * odd but valid layouts and stops a deeply nested document long before the stack suffers.
   */
  static final int MAX_NESTING = 20;
  /**
   * Anchors for a shared block (e.g. one {@code ssh:} mapping used by every host) are legitimate,
   * one alias per host. The loader never expands structure it does not know, so an alias costs
   * one visit of a small mapping; the limit only bounds that.
   */
  static final int MAX_ALIASES = 1000;

  private InventoryYaml() {}

  /** The document's root node; problems (with their lines) are thrown via {@code problems}. */
  static Node compose(String text, Problems problems) {
    try {
      Node node = new Yaml(options()).compose(new StringReader(text));
      if (node == null) {
        problems.error(1, "(document)", "the inventory is empty",
            "at least hosts: and orderers: (see inventory/README.md)");
      }
      problems.throwIfAny();
      return node;
    } catch (MarkedYAMLException e) {
      syntaxError(e, text, problems);
    } catch (ReaderException e) {
      int[] at = lineAndColumn(text, e.getPosition());
      problems.error(at[0], "(yaml)", String.format("character U+%04X at column %d is not"
          + " allowed in YAML", e.getCodePoint(), at[1]),
          "printable text (write control characters as escapes inside double quotes)");
    } catch (YAMLException e) {
      // The limits below end up here; they carry no position.
      problems.error(1, "(yaml)", "cannot be read: " + e.getMessage(), "an inventory as"
          + " inventory/README.md describes it (at most " + MAX_NESTING + " levels of nesting and "
          + MAX_ALIASES + " aliases to lists or mappings)");
    }
    problems.throwIfAny();
    throw new IllegalStateException("unreachable: a problem was recorded");
  }

  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported by YamlSection with both line numbers
    options.setCodePointLimit(InventoryText.MAX_BYTES); // InventoryText caps bytes; belt and braces
    options.setNestingDepthLimit(MAX_NESTING);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  private static void syntaxError(MarkedYAMLException e, String text, Problems problems) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    int line = mark != null ? mark.getLine() + 1 : 1;
    String where = mark != null ? " at column " + (mark.getColumn() + 1) : "";
    String context = "";
    if (e.getContext() != null && e.getContextMark() != null) {
      context = " (" + e.getContext() + " on line " + (e.getContextMark().getLine() + 1) + ")";
    }
    String expected = isAboutTab(text, mark)
        ? "spaces, not tabs, for indentation (YAML does not allow tabs there)"
        : "YAML like the examples in inventory/ (check the indentation, ':' after each key and"
            + " matching quotes and brackets on this line and the one before)";
    problems.error(line, "(yaml)", "not valid YAML" + where + ": " + e.getProblem() + context,
        expected);
  }

  /** Whether the error points at a tab, or at a line indented with one. */
  private static boolean isAboutTab(String text, Mark mark) {
    if (mark == null) {
      return false;
    }
    String line = text.lines().skip(mark.getLine()).findFirst().orElse("");
    int column = mark.getColumn();
    if (column < line.length() && line.charAt(column) == '\t') {
      return true;
    }
    for (int i = 0; i < line.length() && Character.isWhitespace(line.charAt(i)); i++) {
      if (line.charAt(i) == '\t') {
        return true;
      }
    }
    return false;
  }

  /** 1-based line and column of the code point at {@code index}. */
  private static int[] lineAndColumn(String text, int index) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int cp = 0; cp < index && i < text.length(); cp++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += Character.charCount(text.codePointAt(i));
    }
    return new int[] {line, column};
  }
}
