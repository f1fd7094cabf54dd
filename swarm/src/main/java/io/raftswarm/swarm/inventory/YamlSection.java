package io.raftswarm.swarm.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read through snakeyaml's node API, so every value keeps its line number. Each
 * accessor records the key as known; {@link #finish()} reports the keys nobody asked for (typos)
 * with a "did you mean" hint. Type errors are recorded in {@link Problems} and the accessor
 * returns empty, so reading goes on and every problem is reported at once.
 */
final class YamlSection {
  /** A scalar value with where it came from. */
  record Scalar(String value, int line, String field) {}

  private final Problems problems;
  private final String path;
  private final int line;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();

  private YamlSection(Problems problems, String path, int line) {
    this.problems = problems;
    this.path = path;
    this.line = line;
  }

  /**
   * Reads {@code node} as a mapping; anything else is reported and yields an empty section.
   * {@code line} is where messages about the section as a whole point (its key's line).
   */
  static YamlSection of(Node node, String path, int line, Problems problems) {
    YamlSection section = new YamlSection(problems, path, line);
    if (node == null || isNull(node)) {
      return section;
    }
    if (!(node instanceof MappingNode mapping)) {
      problems.error(line(node), path.isEmpty() ? "(document)" : path,
          "is a " + kind(node), "a mapping of key: value lines");
      return section;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        problems.error(line(tuple.getKeyNode()), path, "keys must be plain names", "key: value");
        continue;
      }
      if (section.entries.containsKey(key.getValue())) {
        problems.error(line(key), section.field(key.getValue()),
            "duplicate key (first given on line "
                + line(section.entries.get(key.getValue()).getKeyNode()) + ")",
            "each key once");
        continue;
      }
      section.entries.put(key.getValue(), tuple);
    }
    return section;
  }

  int line() {
    return line;
  }

  String path() {
    return path;
  }

  String field(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    known.add(key);
    Node value = valueNode(key);
    return value != null && !isNull(value);
  }

  /** The line of {@code key} if present, else the line of this section. */
  int lineOf(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? line : line(tuple.getKeyNode());
  }

  Optional<Scalar> scalar(String key) {
    known.add(key);
    Node value = valueNode(key);
    if (value == null || isNull(value)) {
      return Optional.empty();
    }
    if (!(value instanceof ScalarNode scalar)) {
      problems.error(line(value), field(key), "is a " + kind(value), "a single value");
      return Optional.empty();
    }
    return Optional.of(new Scalar(scalar.getValue().trim(), line(value), field(key)));
  }

  /** A scalar converted by {@code parse}, which returns null for values it rejects. */
  <T> Optional<T> value(String key, Function<String, T> parse, String expected) {
    Optional<Scalar> scalar = scalar(key);
    if (scalar.isEmpty()) {
      return Optional.empty();
    }
    T parsed = parse.apply(scalar.get().value());
    if (parsed == null) {
      problems.error(scalar.get().line(), scalar.get().field(),
          "'" + scalar.get().value() + "' is not valid", expected);
      return Optional.empty();
    }
    return Optional.of(parsed);
  }

  Optional<Integer> integer(String key, int min, int max, String expected) {
    return value(key, v -> {
      try {
        int i = Integer.parseInt(v.replace("_", ""));
        return i >= min && i <= max ? i : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }, expected);
  }

  Optional<Boolean> bool(String key) {
    return value(key, v -> switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> Boolean.TRUE;
      case "false", "no", "off" -> Boolean.FALSE;
      default -> null;
    }, "true or false");
  }

  /** The nested mapping under {@code key}; an empty section (at this line) when absent. */
  YamlSection section(String key) {
    known.add(key);
    return of(valueNode(key), field(key), lineOf(key), problems);
  }

  /** A sequence of mappings under {@code key} ({@code key[i]} in messages). */
  List<YamlSection> sections(String key) {
    List<YamlSection> result = new ArrayList<>();
    SequenceNode seq = sequence(key, "a list of mappings (- name: ...)");
    if (seq != null) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        result.add(of(items.get(i), field(key) + "[" + i + "]", line(items.get(i)), problems));
      }
    }
    return result;
  }

  /** A sequence of scalars under {@code key}; a single scalar is accepted as a one-item list. */
  List<Scalar> scalars(String key) {
    List<Scalar> result = new ArrayList<>();
    items(key, false).forEach(item -> result.add(item.name()));
    return result;
  }

  /** One item of a list that takes plain names or mappings: exactly one of the two is set. */
  record NameOrSection(Scalar name, YamlSection section) {}

  /**
   * A sequence under {@code key} whose items are plain names or mappings ({@code key[i]} in
   * messages); a single scalar is accepted as a one-item list.
   */
  List<NameOrSection> namesOrSections(String key) {
    return items(key, true);
  }

  private List<NameOrSection> items(String key, boolean mappings) {
    known.add(key);
    Node value = valueNode(key);
    List<NameOrSection> result = new ArrayList<>();
    if (value instanceof ScalarNode scalar && !isNull(value)) {
      result.add(new NameOrSection(new Scalar(scalar.getValue().trim(), line(value), field(key)), null));
      return result;
    }
    SequenceNode seq = sequence(key, mappings ? "a list of names or mappings (- name: ...)" : "a list of names");
    if (seq != null) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        String itemField = field(key) + "[" + i + "]";
        if (item instanceof ScalarNode s && !isNull(item)) {
          result.add(new NameOrSection(new Scalar(s.getValue().trim(), line(item), itemField), null));
        } else if (mappings && item instanceof MappingNode) {
          result.add(new NameOrSection(null, of(item, itemField, line(item), problems)));
        } else {
          problems.error(line(item), itemField, "is a " + kind(item),
              mappings ? "a plain name or a mapping" : "a plain name");
        }
      }
    }
    return result;
  }

  /** Whether {@code key} is present as a (possibly empty) sequence. */
  boolean hasList(String key) {
    known.add(key);
    return valueNode(key) instanceof SequenceNode;
  }

  /** Reports every key that no accessor asked for: almost always a typo. */
  void finish() {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!known.contains(e.getKey())) {
        String hint = closest(e.getKey())
            .map(k -> "'" + k + "' (did you mean it?)")
            .orElse("one of: " + String.join(", ", known));
        problems.error(line(e.getValue().getKeyNode()), field(e.getKey()), "unknown field", hint);
      }
    }
  }

  private Optional<String> closest(String typo) {
    String lower = typo.toLowerCase(Locale.ROOT);
    return known.stream()
        .filter(k -> editDistance(lower, k.toLowerCase(Locale.ROOT)) <= Math.max(2, k.length() / 4))
        .min(Comparator.comparingInt(k -> editDistance(lower, k.toLowerCase(Locale.ROOT))));
  }

  private SequenceNode sequence(String key, String expected) {
    known.add(key);
    Node value = valueNode(key);
    if (value == null || isNull(value)) {
      return null;
    }
    if (!(value instanceof SequenceNode seq)) {
      problems.error(line(value), field(key), "is a " + kind(value), expected);
      return null;
    }
    return seq;
  }

  private Node valueNode(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s
        && ("tag:yaml.org,2002:null".equals(s.getTag().getValue()) || s.getValue().isEmpty())
        && s.getScalarStyle().getChar() == null;
  }

  private static String kind(Node node) {
    return switch (node.getNodeId()) {
      case mapping -> "mapping";
      case sequence -> "list";
      case scalar -> "single value";
      case anchor -> "anchor";
    };
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
