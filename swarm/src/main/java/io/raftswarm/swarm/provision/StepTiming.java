package io.raftswarm.swarm.provision;

/** How one step went: for the report table and JSON. */
public record StepTiming(String step, String result, String detail, long millis) {
  public static final String DONE = "done";
  public static final String UNCHANGED = "unchanged";
  public static final String FAILED = "failed";
}
