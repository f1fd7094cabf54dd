package io.raftswarm.swarm.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code raftswarm bench ordering} runs. Bounded: warmup + measurement, then at most
 * {@code answerGrace} for answers still in flight; never more than {@code poolSize} envelopes.
 *
 * @param orderer orderer to send to (name or short name), or null to pick a follower
 * @param payloadBytes random bytes per envelope (header, creator certificate and signature add ~1 KB)
 * @param poolSize envelopes signed before measuring; the bench stops early when they run out
 */
public record BenchSettings(
    String orderer,
    String channel,
    Duration warmup,
    Duration measure,
    int streams,
    int window,
    int payloadBytes,
    int poolSize,
    Duration answerGrace,
    boolean reusePool,
    Duration reportEvery) {

  /** Without pool reuse, a progress line per minute. */
  public BenchSettings(String orderer, String channel, Duration warmup, Duration measure, int streams, int window,
      int payloadBytes, int poolSize, Duration answerGrace) {
    this(orderer, channel, warmup, measure, streams, window, payloadBytes, poolSize, answerGrace, false, Duration.ofMinutes(1));
  }

  public BenchSettings {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(answerGrace, "answerGrace");
    Objects.requireNonNull(reportEvery, "reportEvery");
    if (reportEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("report interval must be at least 1 s, got " + reportEvery.toMillis() + " ms");
    }
    if (reusePool && poolSize <= EnvelopePool.ORDERER_TXID_WINDOW) {
      throw new IllegalArgumentException("--reuse needs --pool above " + EnvelopePool.ORDERER_TXID_WINDOW
          + " (the orderers' txId window), got " + poolSize);
    }
    if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("warmup must be 0..600 s, got " + warmup.toSeconds() + " s");
    }
    if (measure.isZero() || measure.isNegative() || measure.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("measurement must be 1..600 s, got " + measure.toSeconds() + " s");
    }
    if (streams < 1 || streams > 64) {
      throw new IllegalArgumentException("streams must be 1..64, got " + streams);
    }
    if (window < 1 || window > 20_000) {
      throw new IllegalArgumentException("window (in flight per stream) must be 1..20000, got " + window);
    }
    if (payloadBytes < 0 || payloadBytes > 1_000_000) {
      throw new IllegalArgumentException("payload size must be 0..1000000 bytes, got " + payloadBytes);
    }
    if (poolSize < streams * window || poolSize > 2_000_000) {
      throw new IllegalArgumentException("pool must hold at least streams × window = "
          + (long) streams * window + " envelopes and at most 2000000, got " + poolSize);
    }
  }
}
