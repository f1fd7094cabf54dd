package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderHostTest {
  @Test
  void the_host_running_most_consenters() {
    assertThat(LeaderHost.of(List.of("host1", "host1", "host2", "host2", "host1", "host2", "host1"))).contains("host1");
  }

  @Test
  void a_tie_goes_to_the_host_first_by_name() {
    assertThat(LeaderHost.of(List.of("b", "a", "b", "a", "c"))).contains("a");
  }

  @Test
  void none_when_no_host_runs_two() {
    assertThat(LeaderHost.of(List.of("a", "b", "c"))).isEmpty();
    assertThat(LeaderHost.of(List.of())).isEmpty();
  }
}
