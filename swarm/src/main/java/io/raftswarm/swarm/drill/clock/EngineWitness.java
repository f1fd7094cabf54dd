package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Asks a host's Docker engine, after the fact, what it recorded about a container — the
 * evidence a fault instant is built from — and how the host's clock relates to the operator's.
 * All times it returns are on the host's clock.
 *
 * <p>Thread-safe. Methods throw a {@link RuntimeException} naming the host when the engine
 * cannot be asked; callers turn that into a warning and fall back to weaker evidence, so a
 * drill never fails for want of a timestamp.
 */
public interface EngineWitness extends AutoCloseable {

  /**
   * The host's clock offset to the operator's, measured on first use and remembered for the
   * life of this witness (drift over a drill's minutes is far below the measurement's own
   * uncertainty). Returns {@link ClockOffset#unknown} rather than throwing.
   */
  ClockOffset clock(String host);

  /**
   * The first {@code action} event ("die", "pause", "unpause", "start") of {@code container}
   * with a time at or after {@code since} (host clock), waiting up to {@code wait} for the
   * engine to log it. Empty when none came.
   */
  Optional<EngineEvent> event(String host, String container, String action, Instant since, Duration wait);

  /**
   * {@code State.FinishedAt} of {@code container} (host clock): when its last run ended. Empty
   * when it is running or never ran.
   */
  Optional<Instant> finishedAt(String host, String container);

  /**
   * The first line of {@code container}'s log at or after {@code since} (host clock) that
   * contains {@code text}, with the engine's timestamp of it (host clock). Empty when none.
   */
  Optional<Noticed> firstLogLine(String host, String container, String text, Instant since);

  @Override
  void close();

  /** A witness that knows nothing; fault instants then fall back to the commands' spans. */
  static EngineWitness none(String why) {
    return new EngineWitness() {
      @Override
      public ClockOffset clock(String host) {
        return ClockOffset.unknown(host, why);
      }

      @Override
      public Optional<EngineEvent> event(String host, String container, String action, Instant since, Duration wait) {
        return Optional.empty();
      }

      @Override
      public Optional<Instant> finishedAt(String host, String container) {
        return Optional.empty();
      }

      @Override
      public Optional<Noticed> firstLogLine(String host, String container, String text, Instant since) {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }
}
