package io.raftswarm.swarm.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polling a running network until something holds: provision's, channel creation's and the
 * drills' waits. Polls at least once; after each miss runs a check that may throw to give up
 * early (a container that exited will never get healthy), then sleeps {@code interval} unless
 * {@code timeout} has passed.
 *
 * @param clock what the deadline is measured on (drills pass theirs)
 */
public record Wait(Duration timeout, Duration interval, Clock clock) {
  private static final Consumer<Object> NOTHING = s -> { };

  public Wait {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(clock, "clock");
  }

  public static Wait upTo(Duration timeout, Duration interval) {
    return new Wait(timeout, interval, Clock.systemUTC());
  }

  public Wait on(Clock clock) {
    return new Wait(timeout, interval, clock);
  }

  /** The first polled state that is {@code done}, or the last one polled when time ran out. */
  public <S> S until(Supplier<S> poll, Predicate<? super S> done) throws InterruptedException {
    return until(poll, done, NOTHING);
  }

  /**
   * Like {@link #until(Supplier, Predicate)}, running {@code afterMiss} with each state that is
   * not done (fail-fast checks throw from it, progress prints from it).
   */
  public <S> S until(Supplier<S> poll, Predicate<? super S> done, Consumer<? super S> afterMiss)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      S state = poll.get();
      if (done.test(state)) {
        return state;
      }
      afterMiss.accept(state);
      if (!clock.instant().isBefore(deadline)) {
        return state;
      }
      Thread.sleep(interval.toMillis());
    }
  }

  /**
   * The first polled state that is {@code done}; when time runs out, throws what
   * {@code timeoutError} makes of the last state (its message says what was still missing).
   */
  public <S> S untilOrThrow(Supplier<S> poll, Predicate<? super S> done, Consumer<? super S> afterMiss,
      Function<? super S, ? extends RuntimeException> timeoutError) throws InterruptedException {
    S last = until(poll, done, afterMiss);
    if (!done.test(last)) {
      throw timeoutError.apply(last);
    }
    return last;
  }
}
