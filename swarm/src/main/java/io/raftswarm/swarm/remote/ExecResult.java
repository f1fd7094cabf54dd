package io.raftswarm.swarm.remote;

/** What one remote command printed and how it exited. */
public record ExecResult(String host, String command, int exitStatus, String stdout, String stderr) {
  public boolean ok() {
    return exitStatus == 0;
  }

  /** The last lines of stderr (or stdout when stderr is empty), for error messages. */
  public String tail(int lines) {
    String text = stderr.isBlank() ? stdout : stderr;
    String[] all = text.strip().split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }
}
