package io.raftswarm.orderer.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Adds a channel's Raft division back to the server after a restart of the node, trying again for
 * a few seconds. Once, on the lab, Ratis refused the add right after the remove ("previous !=
 * null") and the channel was left with no Raft node until the process restarted. Done when the
 * division exists, whoever added it: a refused add whose division is there anyway is a success.
 *
 * @param attempts how many adds to try before giving up
 * @param pause how long to wait between two attempts
 */
public record RaftNodeAdd(int attempts, Duration pause) {
  /** One try at adding the division: null when it was added, else why not. */
  @FunctionalInterface
  public interface Attempt {
    String add() throws IOException;
  }

  public RaftNodeAdd {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
  }

  /**
   * Runs {@code attempt} until it succeeds or {@code present} says the division exists; {@code retrying}
   * hears each failure that will be tried again.
   *
   * @throws IOException after the last attempt failed with no division present, naming its failure
   */
  public void run(Attempt attempt, BooleanSupplier present, Consumer<String> retrying) throws IOException {
    for (int n = 1; ; n++) {
      String failure;
      try {
        failure = attempt.add();
      } catch (IOException | RuntimeException e) {
        failure = e.toString();
      }
      if (failure == null || present.getAsBoolean()) {
        return;
      }
      if (n >= attempts) {
        throw new IOException("start: " + failure + " (" + n + " attempts)");
      }
      retrying.accept(failure);
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("start: interrupted", e);
      }
    }
  }
}
