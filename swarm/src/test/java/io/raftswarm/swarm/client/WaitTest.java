package io.raftswarm.swarm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
  private final Wait wait = Wait.upTo(Duration.ofSeconds(5), Duration.ofMillis(1));

  @Test
  void returnsTheFirstStateThatIsDone() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    List<Integer> misses = new ArrayList<>();
    assertThat(wait.until(polls::incrementAndGet, n -> n == 3, misses::add)).isEqualTo(3);
    assertThat(misses).containsExactly(1, 2);
  }

  @Test
  void returnsTheLastStateWhenTimeRunsOut() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    int last = Wait.upTo(Duration.ofMillis(30), Duration.ofMillis(5)).until(polls::incrementAndGet, n -> false);
    assertThat(last).isEqualTo(polls.get()).isGreaterThan(1);
  }

  @Test
  void pollsOnceEvenWithoutTime() throws Exception {
    assertThat(Wait.upTo(Duration.ZERO, Duration.ofMillis(5)).until(() -> "done", "done"::equals)).isEqualTo("done");
  }

  @Test
  void timeoutErrorIsMadeFromTheLastState() {
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(() -> Wait.upTo(Duration.ofMillis(20), Duration.ofMillis(5)).untilOrThrow(
        polls::incrementAndGet, n -> false, n -> { }, n -> new IllegalStateException("still " + n)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("still " + polls.get());
  }

  @Test
  void failFastCheckEndsTheWaitAtOnce() {
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(() -> wait.untilOrThrow(polls::incrementAndGet, n -> false,
        n -> {
          throw new IllegalStateException("container exited");
        },
        n -> new IllegalStateException("must not time out")))
        .hasMessage("container exited");
    assertThat(polls).hasValue(1);
  }
}
