package io.raftswarm.orderer.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The benches' {@code key=value} arguments. A key the bench does not read is refused with its
 * usage (a typo would otherwise measure the defaults without a word); {@code -h}/{@code --help}
 * prints the usage.
 */
final class BenchArgs {
  private static final Pattern KEY = Pattern.compile("\\[(\\w+)=");

  private BenchArgs() {}

  /**
   * Exits the JVM (status 0 for help, 2 for a bad argument) after printing {@code usage}, whose
   * {@code [key=default]} items are the keys accepted.
   */
  static Map<String, String> parse(String[] args, String usage) {
    List<String> keys = KEY.matcher(usage).results().map(m -> m.group(1)).toList();
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        System.out.println(usage);
        System.exit(0);
      }
      String[] kv = arg.split("=", 2);
      if (kv.length < 2 || !keys.contains(kv[0])) {
        System.err.println("unknown argument '" + arg + "': expected key=value with a key of " + keys + "\n" + usage);
        System.exit(2);
      }
      a.put(kv[0], kv[1]);
    }
    return a;
  }
}
