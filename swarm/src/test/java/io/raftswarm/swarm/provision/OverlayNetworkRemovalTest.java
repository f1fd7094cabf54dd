package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OverlayNetworkRemovalTest {
  private static final String IN_USE = "Status 400: {\"message\":\"rpc error: code = FailedPrecondition"
      + " desc = network 596sv8nf1f5q is in use by task 5tlhjelegn3k\"}";

  private final StringWriter printed = new StringWriter();
  private final Progress progress = new Progress(new PrintWriter(printed));
  private final AtomicLong now = new AtomicLong();
  private final OverlayNetworkRemoval removal = new OverlayNetworkRemoval(Duration.ofSeconds(10),
      Duration.ofSeconds(1), now::get, now::addAndGet);

  @Test
  void waits_while_the_swarm_still_holds_attachment_tasks_then_removes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    OverlayNetworkRemoval.Result r = removal.remove("raftswarm", () -> {
      if (calls.incrementAndGet() <= 3) {
        throw new IllegalStateException(IN_USE);
      }
    }, progress);
    assertThat(r).isEqualTo(OverlayNetworkRemoval.Result.REMOVED);
    assertThat(calls).hasValue(4);
    assertThat(now.get()).isEqualTo(3_000);
    assertThat(printed.toString()).contains("still attached to swarm tasks", "waiting up to 10 s",
        "the swarm released raftswarm after 3.0 s");
  }

  @Test
  void gives_up_after_its_patience_and_leaves_the_network_to_leave_swarm() throws Exception {
    OverlayNetworkRemoval.Result r = removal.remove("raftswarm", () -> {
      throw new IllegalStateException(IN_USE);
    }, progress);
    assertThat(r).isEqualTo(OverlayNetworkRemoval.Result.STILL_IN_USE);
    assertThat(now.get()).isEqualTo(10_000);
    assertThat(printed.toString()).contains("still in use after 10 s", "in use by task 5tlhjelegn3k",
        "goes with the swarm in LeaveSwarm");
  }

  @Test
  void any_other_error_fails_at_once() {
    assertThatThrownBy(() -> removal.remove("raftswarm", () -> {
      throw new IllegalStateException("Status 500: engine on fire");
    }, progress)).hasMessageContaining("engine on fire");
    assertThat(now.get()).isZero();
  }

  @Test
  void a_first_try_success_prints_nothing_extra() throws Exception {
    assertThat(removal.remove("raftswarm", () -> { }, progress))
        .isEqualTo(OverlayNetworkRemoval.Result.REMOVED);
    assertThat(printed.toString()).isEmpty();
  }
}
