package io.raftswarm.common.status;

/**
 * The words a follower logs when its Raft leader's connection closes, shared by the orderer,
 * which writes them, and the drills, which date a killed leader's death by the first such line
 * (docs/CONTRACTS.md "Orderer log lines the drills read").
 */
public final class LeaderLossLog {
  private LeaderLossLog() {}

  /** "its connection to orderer5.example.com:7050 closed", as the orderer writes it. */
  public static String connectionClosed(String endpoint) {
    return "its connection to " + endpoint + " closed";
  }

  /** What a drill looks for in the survivors' logs when {@code fqdn} was killed: any of its ports. */
  public static String connectionClosedMarker(String fqdn) {
    return "its connection to " + fqdn + ":";
  }
}
