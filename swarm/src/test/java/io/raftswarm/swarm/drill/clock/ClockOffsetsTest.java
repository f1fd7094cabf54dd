package io.raftswarm.swarm.drill.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockOffsetsTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  private static Instant ms(double ms) {
    return T0.plusNanos(Math.round(ms * 1_000_000));
  }

  /** A reading sent at {@code sentMs}, answered after {@code rttMs}; the remote stamped it at {@code stampMs} of operator time, on a clock {@code offsetMs} ahead. */
  private static ClockReading reading(double sentMs, double rttMs, double stampMs, double offsetMs) {
    return new ClockReading(ms(sentMs), ms(stampMs + offsetMs), ms(sentMs + rttMs));
  }

  @Test
  void one_reading_bounds_the_offset_by_its_round_trip_without_assuming_symmetric_legs() {
    // 4 ms round trip, stamped 1 ms after sending (asymmetric), remote clock 250 ms ahead
    ClockOffset c = ClockOffsets.estimate("host2", List.of(reading(0, 4, 1, 250)), "/info");

    assertThat(c.known()).isTrue();
    // allowed offsets: 251 − 4 = 247 … 251 − 0 = 251 → 249 ± 2
    assertThat(c.offset()).isEqualTo(Duration.ofMillis(249));
    assertThat(c.uncertainty()).isEqualTo(Duration.ofMillis(2));
    assertThat(Duration.ofMillis(250)).isBetween(c.offset().minus(c.uncertainty()), c.offset().plus(c.uncertainty()));
  }

  @Test
  void several_readings_intersect_to_a_tighter_bound_than_the_best_single_one() {
    List<ClockReading> readings = List.of(
        reading(0, 10, 9, -30),   // stamped late: offset ∈ [-31, -21]
        reading(100, 10, 101, -30), // stamped early: offset ∈ [-39, -29]
        reading(200, 6, 203, -30)); // offset ∈ [-33, -27]

    ClockOffset c = ClockOffsets.estimate("host3", readings, "/info");

    // intersection [-31, -29]: −30 ± 1, tighter than the best reading's ± 3
    assertThat(c.offset()).isEqualTo(Duration.ofMillis(-30));
    assertThat(c.uncertainty()).isEqualTo(Duration.ofMillis(1));
    assertThat(c.readings()).hasSize(3);
    assertThat(c.method()).contains("3 /info readings", "shortest round trip 6.000 ms");
  }

  @Test
  void when_the_readings_contradict_each_other_then_the_shortest_round_trip_alone_is_trusted() {
    List<ClockReading> readings = List.of(
        reading(0, 2, 1, 0),        // offset ∈ [-1, 1]
        reading(100, 8, 104, 500)); // clock stepped by 500 ms: offset ∈ [496, 504]

    ClockOffset c = ClockOffsets.estimate("host2", readings, "/info");

    assertThat(c.offset()).isEqualTo(Duration.ZERO);
    assertThat(c.uncertainty()).isEqualTo(Duration.ofMillis(1));
    assertThat(c.method()).contains("disagree");
  }

  @Test
  void a_remote_time_moves_to_the_operator_clock_as_a_window_of_the_offsets_uncertainty() {
    ClockOffset c = new ClockOffset("host2", true, Duration.ofMillis(250), Duration.ofMillis(2), "test", List.of());

    Window w = c.toOperator(ms(1250));

    assertThat(w.earliest()).isEqualTo(ms(998));
    assertThat(w.latest()).isEqualTo(ms(1002));
    assertThat(c.likelyOperatorTime(ms(1250))).isEqualTo(ms(1000));
    assertThat(c.fromOperator(ms(1000))).isEqualTo(ms(1250));
    assertThat(c.describe()).contains("host2 clock, offset +250.000 ms ± 2.000 ms");
  }

  @Test
  void without_readings_the_offset_is_unknown_and_remote_times_cannot_be_placed() {
    ClockOffset c = ClockOffsets.estimate("host2", List.of(), "/info");

    assertThat(c.known()).isFalse();
    assertThatThrownBy(() -> c.toOperator(T0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("host2");
  }
}
