package io.raftswarm.swarm.provision;

import java.io.PrintWriter;

/** Progress lines while a step runs, indented under the step's header. Thread-safe. */
public final class Progress {
  private final PrintWriter out;

  public Progress(PrintWriter out) {
    this.out = out;
  }

  public synchronized void line(String text) {
    out.println("      " + text);
    out.flush();
  }

  synchronized void raw(String text) {
    out.println(text);
    out.flush();
  }
}
