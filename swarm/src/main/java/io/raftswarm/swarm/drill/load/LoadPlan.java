package io.raftswarm.swarm.drill.load;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What load to run. The load stops by itself after {@code maxTxs} sends or {@code maxDuration},
 * whichever comes first, then waits up to {@code answerGrace} for outstanding answers.
 *
 * @param orderers orderer names to send to, round-robin
 * @param channels channels to send on, round-robin
 * @param ratePerSecond target sends per second over all orderers
 * @param maxInFlightPerOrderer unanswered envelopes allowed on one stream before sends to that
 *     orderer are skipped (keeps a stalled orderer from queueing unbounded work)
 * @param reconnectBackoff wait after a stream failed before opening a new one to that orderer
 */
public record LoadPlan(
    List<String> orderers,
    List<String> channels,
    int ratePerSecond,
    int maxTxs,
    Duration maxDuration,
    int maxInFlightPerOrderer,
    Duration answerGrace,
    Duration reconnectBackoff) {

  public LoadPlan {
    orderers = List.copyOf(orderers);
    channels = List.copyOf(channels);
    if (orderers.isEmpty()) {
      throw new IllegalArgumentException("load needs at least one orderer");
    }
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("load needs at least one channel");
    }
    if (ratePerSecond < 1 || ratePerSecond > 10_000) {
      throw new IllegalArgumentException("ratePerSecond must be 1..10000, got " + ratePerSecond);
    }
    if (maxTxs < 1) {
      throw new IllegalArgumentException("maxTxs must be >= 1, got " + maxTxs);
    }
    if (maxInFlightPerOrderer < 1) {
      throw new IllegalArgumentException("maxInFlightPerOrderer must be >= 1");
    }
    Objects.requireNonNull(maxDuration, "maxDuration");
    Objects.requireNonNull(answerGrace, "answerGrace");
    Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
  }

  /** Defaults for a drill: 40 tx/s, 200 in flight per orderer, 10 s grace, 200 ms backoff. */
  public static LoadPlan forDrill(List<String> orderers, List<String> channels, Duration maxDuration) {
    return new LoadPlan(orderers, channels, 40, 100_000, maxDuration, 200,
        Duration.ofSeconds(10), Duration.ofMillis(200));
  }
}
