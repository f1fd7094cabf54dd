package io.raftswarm.swarm.provision.rotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.error.UserError;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotationJournalTest {
  static final List<String> NODES = List.of("orderer.example.com", "orderer2.example.com");

  @Test
  void a_rerun_of_the_same_nodes_continues_after_the_done_ones_and_the_journal_goes_when_all_are(@TempDir Path dir) {
    RotationJournal first = RotationJournal.open(dir, NODES, Instant.parse("2026-12-03T16:00:00Z"));
    assertThat(dir.resolve(RotationJournal.FILE)).as("nothing changed yet").doesNotExist();
    first.begin();
    first.done("orderer.example.com");

    RotationJournal again = RotationJournal.open(dir, NODES, Instant.parse("2026-12-03T17:00:00Z"));
    assertThat(again.entry().started()).isEqualTo("2026-12-03T16:00:00Z");
    assertThat(again.isDone("orderer.example.com")).isTrue();
    assertThat(again.isDone("orderer2.example.com")).isFalse();

    again.done("orderer2.example.com");
    assertThat(dir.resolve(RotationJournal.FILE)).doesNotExist();
    assertThat(RotationJournal.open(dir, NODES, Instant.now()).entry().done()).isEmpty();
  }

  @Test
  void another_rotation_is_refused_while_one_is_unfinished(@TempDir Path dir) {
    RotationJournal.open(dir, NODES, Instant.parse("2026-12-03T16:00:00Z")).done("orderer.example.com");
    // a refused run (nothing begun) does not block another
    RotationJournal.open(dir.resolve("other"), List.of("orderer3.example.com"), Instant.now());
    assertThat(RotationJournal.open(dir.resolve("other"), NODES, Instant.now()).entry().nodes()).isEqualTo(NODES);
    assertThatThrownBy(() -> RotationJournal.open(dir, List.of("orderer3.example.com"), Instant.now()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unfinished rotate-certs of [orderer.example.com, orderer2.example.com]")
        .hasMessageContaining("done: [orderer.example.com]")
        .hasMessageContaining("run it again with the same nodes");
  }
}
