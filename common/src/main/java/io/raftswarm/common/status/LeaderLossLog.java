package io.raftswarm.common.status;

/**
 * The words a follower logs when its Raft leader's connection closes or its host stops
 * acknowledging, shared by the orderer,
 * which writes them, and the drills, which date a killed leader's death by the first such line
 * (docs/CONTRACTS.md "Orderer log lines the drills read").
 */
public final class LeaderLossLog {
  private LeaderLossLog() {}

  /** "its connection to orderer5.example.com:7050 closed", as the orderer writes it. */
  public static String connectionClosed(String endpoint) {
    return "its connection to " + endpoint + " closed";
  }

  /**
   * "the host of orderer5.example.com:7050 acknowledged nothing for 300 ms", as the orderer writes
   * it when the kernel gave up on what it sent to its leader (a cut-off or vanished host, not a
   * killed process: that one closes its connections).
   */
  public static String unacknowledged(String endpoint, long millis) {
    return "the host of " + endpoint + " acknowledged nothing for " + millis + " ms";
  }

  /** What a drill looks for in the others' logs when {@code fqdn} was cut off: any of its ports. */
  public static String unacknowledgedMarker(String fqdn) {
    return "the host of " + fqdn + ":";
  }

  /** What a drill looks for in the survivors' logs when {@code fqdn} was killed: any of its ports. */
  public static String connectionClosedMarker(String fqdn) {
    return "its connection to " + fqdn + ":";
  }
}
