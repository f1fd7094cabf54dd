package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases from Go's time.ParseDuration / Duration.String tests. */
class GoDurationsTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "5s, 5000000000",
    "30s, 30000000000",
    "1478s, 1478000000000",
    "-5s, -5000000000",
    "+5s, 5000000000",
    "5.0s, 5000000000",
    "5.6s, 5600000000",
    "5.s, 5000000000",
    ".5s, 500000000",
    "1.004s, 1004000000",
    "100.00100s, 100001000000",
    "10ns, 10",
    "11us, 11000",
    "12\u00b5s, 12000",
    "12\u03bcs, 12000",
    "13ms, 13000000",
    "14s, 14000000000",
    "15m, 900000000000",
    "16h, 57600000000000",
    "3h30m, 12600000000000",
    "10.5s4m, 250500000000",
    "-2m3.4s, -123400000000",
    "1h2m3s4ms5us6ns, 3723004005006",
    "500ms, 500000000",
  })
  void parses_go_durations(String text, long nanos) {
    assertThat(GoDurations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "1.2.3s", "5 s"})
  void rejects_what_go_rejects(String text) {
    assertThatThrownBy(() -> GoDurations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "1, 1ns",
    "1100, 1.1\u00b5s",
    "2200000, 2.2ms",
    "500000000, 500ms",
    "2000000000, 2s",
    "3300000000, 3.3s",
    "90000000000, 1m30s",
    "264300000000, 4m24.3s",
    "18900000000000, 5h15m0s",
    "-1000000000, -1s",
  })
  void formats_like_go(long nanos, String text) {
    assertThat(GoDurations.format(Duration.ofNanos(nanos))).isEqualTo(text);
    assertThat(GoDurations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }
}
