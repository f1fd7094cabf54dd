package io.raftswarm.orderer.bench;

import java.util.HashMap;
import java.util.Map;

/** The benches' {@code key=value} arguments. */
final class BenchArgs {
  private BenchArgs() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    return a;
  }
}
