package io.raftswarm.orderer.raft;

import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import io.raftswarm.orderer.raft.EntryFragments.Fragment;
import java.util.Objects;
import java.util.Optional;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Joins the fragments of one batch as their entries are applied ({@link EntryFragments}). Every
 * orderer applies the same log, so every one joins, or abandons, the same fragments alike.
 *
 * <p>A batch left incomplete (its leader lost leadership between fragments) is abandoned when the
 * next entry is not its next fragment; its transactions were never acknowledged. While a batch is
 * incomplete, snapshots and consistent cuts must stay at {@link #pendingSince()}: a node resumed
 * past its first fragment would never see it again.
 */
public final class FragmentAssembly {
  /**
   * The outcome of one entry: the whole batch once its last fragment arrived, and why held
   * fragments were dropped, if they were.
   */
  public record Step(Optional<ByteString> batch, Optional<String> abandoned) {}

  private ByteString joined;
  private int next;
  private int count;
  private TermIndex pendingSince;

  /**
   * Applies the next entry in log order.
   *
   * @param fragment the fragment it carries, or empty for a whole batch (which the caller applies itself)
   * @param applied the position applied just before this entry
   */
  public Step apply(Optional<Fragment> fragment, TermIndex applied) {
    Objects.requireNonNull(applied, "applied");
    Optional<String> abandoned = Optional.empty();
    if (pendingSince != null && (fragment.isEmpty() || fragment.get().index() != next || fragment.get().count() != count)) {
      abandoned = Optional.of("fragments 0.." + (next - 1) + " of " + count + " were followed by "
          + fragment.map(f -> "fragment " + f.index() + " of " + f.count()).orElse("a whole batch"));
      reset();
    }
    if (fragment.isEmpty()) {
      return new Step(Optional.empty(), abandoned);
    }
    Fragment f = fragment.get();
    if (pendingSince == null) {
      if (f.index() != 0) {
        // The start was abandoned above or never applied here; every orderer skips it alike.
        return new Step(Optional.empty(), Optional.of(abandoned.map(a -> a + "; ").orElse("")
            + "fragment " + f.index() + " of " + f.count() + " arrived without its predecessors"));
      }
      pendingSince = applied;
      count = f.count();
      joined = ByteString.EMPTY;
    }
    joined = joined.concat(f.chunk());
    next++;
    if (!f.last()) {
      return new Step(Optional.empty(), abandoned);
    }
    ByteString batch = joined;
    reset();
    return new Step(Optional.of(batch), abandoned);
  }

  private void reset() {
    joined = null;
    next = 0;
    count = 0;
    pendingSince = null;
  }

  /** Drops what is held (the state machine was reset to a pulled ledger). */
  public void clear() {
    reset();
  }

  /** The position applied before the first held fragment, or empty when nothing is held. */
  public Optional<TermIndex> pendingSince() {
    return Optional.ofNullable(pendingSince);
  }
}
