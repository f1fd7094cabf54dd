package io.raftswarm.orderer.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RaftNodeAddTest {
  private final RaftNodeAdd add = new RaftNodeAdd(5, Duration.ZERO);
  private final List<String> retried = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  @Test
  void anAddRefusedRightAfterTheRemoveIsTriedAgainUntilItWorks() throws IOException {
    add.run(() -> calls.incrementAndGet() < 3 ? "IllegalStateException: previous != null" : null, () -> false,
        retried::add);

    assertThat(calls).hasValue(3);
    assertThat(retried).containsExactly("IllegalStateException: previous != null",
        "IllegalStateException: previous != null");
  }

  @Test
  void aRefusedAddWhoseDivisionIsThereAnywayIsDone() throws IOException {
    add.run(() -> {
      calls.incrementAndGet();
      return "AlreadyExistsException: the group already exists";
    }, () -> true, retried::add);

    assertThat(calls).hasValue(1);
    assertThat(retried).isEmpty();
  }

  @Test
  void anAddThatThrowsCountsAsAFailedAttempt() throws IOException {
    add.run(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IOException("server closing");
      }
      return null;
    }, () -> false, retried::add);

    assertThat(calls).hasValue(2);
    assertThat(retried).containsExactly("java.io.IOException: server closing");
  }

  @Test
  void givesUpAfterTheLastAttemptNamingItsFailure() {
    assertThatThrownBy(() -> add.run(() -> "refused #" + calls.incrementAndGet(), () -> false, retried::add))
        .isInstanceOf(IOException.class)
        .hasMessage("start: refused #5 (5 attempts)");
    assertThat(retried).hasSize(4);
  }

  @Test
  void waitsBetweenAttempts() throws IOException {
    long start = System.nanoTime();
    new RaftNodeAdd(3, Duration.ofMillis(50)).run(() -> calls.incrementAndGet() < 3 ? "refused" : null, () -> false,
        retried::add);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void refusesFewerThanOneAttempt() {
    assertThatThrownBy(() -> new RaftNodeAdd(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
