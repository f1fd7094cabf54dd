package io.raftswarm.orderer.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class FragmentAssemblyTest {
  private final FragmentAssembly assembly = new FragmentAssembly();

  private static ByteString batch(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] = 0x0A; // a BlockData entry starts with its first field's tag
    return ByteString.copyFrom(b);
  }

  private FragmentAssembly.Step apply(ByteString entry, long index) {
    return assembly.apply(EntryFragments.parse(entry), TermIndex.valueOf(1, index - 1));
  }

  @Test
  void a_batch_that_fits_travels_whole() {
    ByteString b = batch(1000);
    assertThat(EntryFragments.split(b, 1000)).containsExactly(b);
    assertThat(EntryFragments.parse(b)).isEmpty();
    assertThat(EntryFragments.parse(ByteString.EMPTY)).isEmpty();
  }

  @Test
  void fragments_applied_in_order_give_back_the_batch_and_hold_snapshots_before_the_first() {
    ByteString b = batch(2500);
    List<ByteString> entries = EntryFragments.split(b, 1000);
    assertThat(entries).hasSize(3).allMatch(e -> e.size() <= 1000 + 9);
    assertThat(apply(entries.get(0), 10).batch()).isEmpty();
    assertThat(assembly.pendingSince()).contains(TermIndex.valueOf(1, 9));
    assertThat(apply(entries.get(1), 11).batch()).isEmpty();
    assertThat(assembly.pendingSince()).contains(TermIndex.valueOf(1, 9));
    FragmentAssembly.Step last = apply(entries.get(2), 12);
    assertThat(last.batch()).contains(b);
    assertThat(last.abandoned()).isEmpty();
    assertThat(assembly.pendingSince()).isEmpty();
  }

  @Test
  void a_whole_batch_after_an_incomplete_one_abandons_it() {
    List<ByteString> entries = EntryFragments.split(batch(2500), 1000);
    apply(entries.get(0), 10);
    apply(entries.get(1), 11);
    FragmentAssembly.Step step = apply(batch(100), 12);
    assertThat(step.batch()).isEmpty();
    assertThat(step.abandoned()).hasValueSatisfying(why -> assertThat(why).contains("fragments 0..1 of 3"));
    assertThat(assembly.pendingSince()).isEmpty();
  }

  @Test
  void a_new_first_fragment_abandons_the_incomplete_batch_and_starts_over() {
    List<ByteString> first = EntryFragments.split(batch(2500), 1000);
    ByteString second = batch(1800);
    List<ByteString> next = EntryFragments.split(second, 1000);
    apply(first.get(0), 10);
    FragmentAssembly.Step step = apply(next.get(0), 11);
    assertThat(step.abandoned()).isPresent();
    assertThat(assembly.pendingSince()).contains(TermIndex.valueOf(1, 10));
    assertThat(apply(next.get(1), 12).batch()).contains(second);
  }

  @Test
  void a_fragment_without_its_predecessors_is_skipped() {
    List<ByteString> entries = EntryFragments.split(batch(2500), 1000);
    FragmentAssembly.Step step = apply(entries.get(1), 11);
    assertThat(step.batch()).isEmpty();
    assertThat(step.abandoned()).hasValueSatisfying(why -> assertThat(why).contains("without its predecessors"));
    assertThat(apply(entries.get(2), 12).batch()).isEmpty();
    assertThat(assembly.pendingSince()).isEmpty();
  }

  @Test
  void a_malformed_fragment_header_is_refused() {
    ByteString bad = ByteString.copyFrom(new byte[] {EntryFragments.MARKER, 0, 0, 0, 3, 0, 0, 0, 2});
    assertThatThrownBy(() -> EntryFragments.parse(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fragment 3 of 2");
    assertThatThrownBy(() -> EntryFragments.parse(ByteString.copyFrom(new byte[] {EntryFragments.MARKER, 1})))
        .hasMessageContaining("shorter than its header");
  }
}
