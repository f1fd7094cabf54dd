package io.raftswarm.swarm.drill.timeline;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.TxOutcome;
import io.raftswarm.swarm.drill.load.TxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Derives a drill's timings from what was observed, each measured from the {@link FaultInstant}
 * the fault took effect (not from when the command that caused it returned). Pure: the inputs
 * are the timeline (status samples every ~100 ms, each stamped with its round's start and its
 * answer's arrival: what it shows was read in between, so a sample-based timing is a range whose
 * top is the answer's arrival) and the load's records (per-tx send/answer times on the operator's
 * clock, accurate to the millisecond).
 *
 * <p>When the fault instant is a window: what happened after the fault is searched for from the
 * window's start (a new leader cannot appear before the fault), but heights and acknowledgements
 * that define "after" are taken at its end, so nothing from before the fault is mistaken for
 * recovery. Values are measured from the window's end to a poll's request, {@code upTo} from its
 * start to the poll's answer.
 */
public final class Timings {
  private Timings() {}

  /**
   * Fault → first sample in which some orderer is LEADER of {@code channel} and is not the
   * leader from before the fault (or is, but in a higher term).
   */
  public static Timing election(Timeline t, FaultInstant fault, String channel) {
    return election(t, fault, channel, null);
  }

  /**
   * Like {@link #election(Timeline, FaultInstant, String)}, but the new leader must be another
   * node than {@code deposed} (the killed or frozen leader), whatever the samples showed at the
   * fault.
   */
  public static Timing election(Timeline t, FaultInstant fault, String channel, String deposed) {
    Optional<OrdererChannelStatus> before = leaderAt(t.latestAt(fault.earliest()).values(), channel);
    for (StatusSample s : t.samples()) {
      if (!s.at().isAfter(fault.earliest()) || !s.reachable()) {
        continue;
      }
      // The leader itself, or any orderer that names another leader than the one before the fault
      // (a follower learns a leader from its messages): whichever answered first. A follower's
      // leader can be stale while its term already moved on, so a re-elected same leader counts
      // only from its own /status.
      Optional<OrdererChannelStatus> c = s.status().channel(channel).filter(x -> x.isLeader() || x.leaderId() > 0);
      if (c.isEmpty()) {
        continue;
      }
      boolean own = c.get().isLeader();
      String leader = own ? s.node() : t.ordererName(c.get().leaderId());
      String previous = deposed != null ? deposed : before.map(b -> t.ordererName(b.consenterId())).orElse(null);
      boolean isNew = deposed != null
          ? !leader.equals(deposed)
          : before.isEmpty() || (own ? c.get().term() > before.get().term() : !leader.equals(previous));
      if (isNew) {
        String from = deposed != null ? deposed
            : before.map(b -> t.ordererName(b.consenterId()) + " (term " + b.term() + ")").orElse("no leader");
        return Timing.seen("election", channel, fault, s.at(), s.answeredAt(), "leader " + from + " → " + leader + " (term "
            + c.get().term() + "), seen in /status" + (leader.equals(s.node()) ? "" : " of " + s.node()));
      }
    }
    return Timing.notObserved("election", channel, fault, before.isPresent()
        ? "no new leader seen; " + t.ordererName(before.get().consenterId()) + " stayed leader"
        : "no leader seen after the fault");
  }

  /**
   * Fault → first sample in which some orderer's height exceeds the highest height known by the
   * fault window's end (heights only grow, so that is the maximum over all samples up to then;
   * this also works when every orderer was down at that moment).
   */
  public static Timing nextBlock(Timeline t, FaultInstant fault, String channel) {
    return nextBlock(t, fault, channel, false);
  }

  /**
   * Like {@link #nextBlock(Timeline, FaultInstant, String)} for a fault that deposes the leader:
   * the block must also come from a Raft term newer than that of every block seen up to the
   * fault (its {@code lastBlockTerm}). A block the old leader committed just before the fault may
   * reach the others only with the new leader's first append, or be replayed from a restarted
   * orderer's WAL: by height alone it would look like the new leader's first block, earlier than
   * any was. The comparison is with the blocks' terms, not the orderers' current terms: followers
   * that see a killed leader's connections close may have elected its successor by the time the
   * round stamped at the fault returns. Orderers that do not report the term (0) are judged by
   * height alone.
   */
  public static Timing nextBlockInNewTerm(Timeline t, FaultInstant fault, String channel) {
    return nextBlock(t, fault, channel, true);
  }

  private static Timing nextBlock(Timeline t, FaultInstant fault, String channel, boolean newTerm) {
    Instant after = fault.latest();
    List<StatusSample> upToFault = t.samples().stream().filter(s -> !s.at().isAfter(after)).toList();
    long atFault = maxHeight(upToFault, channel);
    long termAtFault = upToFault.stream().filter(StatusSample::reachable)
        .flatMap(s -> s.status().channel(channel).stream()).mapToLong(OrdererChannelStatus::lastBlockTerm).max().orElse(0);
    for (StatusSample s : t.samples()) {
      if (!s.at().isAfter(after) || !s.reachable()) {
        continue;
      }
      Optional<OrdererChannelStatus> c = s.status().channel(channel);
      long blockTerm = c.map(OrdererChannelStatus::lastBlockTerm).orElse(0L);
      if (c.map(OrdererChannelStatus::height).orElse(0L) > atFault && (!newTerm || blockTerm == 0 || blockTerm > termAtFault)) {
        return Timing.seen("next block", channel, fault, s.at(), s.answeredAt(), "height " + atFault + " → " + (atFault + 1) + " on "
            + s.node() + (newTerm && blockTerm > 0 ? " in term " + blockTerm : "") + ", seen in /status");
      }
    }
    return Timing.notObserved("next block", channel, fault, "no block above height " + atFault
        + (newTerm ? " from a term after " + termAtFault + " (the newest block's term up to the fault)" : "") + " was committed after the fault");
  }

  /**
   * Fault → first SUCCESS answer for a tx sent after the fault (after the window's end) to any of
   * {@code orderers} (all when empty).
   */
  public static Timing firstAck(List<TxRecord> records, FaultInstant fault, Set<String> orderers) {
    return records.stream()
        .filter(r -> r.outcome() == TxOutcome.SUCCESS && !r.sentAt().isBefore(fault.latest())
            && (orderers.isEmpty() || orderers.contains(r.orderer())))
        .min(java.util.Comparator.comparing(TxRecord::answeredAt))
        .map(r -> Timing.since("first ack after fault", r.channel(), fault, r.answeredAt(),
            "tx sent to " + r.orderer() + " at +" + Duration.between(fault.latest(), r.sentAt()).toMillis() + " ms"))
        .orElse(Timing.notObserved("first ack after fault", "", fault, "no tx sent after the fault was acknowledged"));
  }

  /**
   * Client-visible unavailability: fault → the last failed send among sends from the fault
   * (window's start) to {@code to}, to any of {@code orderers} (all when empty); 0 when no
   * client saw a failure.
   */
  public static Timing unavailability(List<TxRecord> records, FaultInstant fault, Instant to,
      Set<String> orderers, String label) {
    List<TxRecord> failed = records.stream()
        .filter(r -> r.outcome().failed() && !r.sentAt().isBefore(fault.earliest()) && !r.sentAt().isAfter(to)
            && (orderers.isEmpty() || orderers.contains(r.orderer())))
        .sorted(java.util.Comparator.comparing(TxRecord::sentAt))
        .toList();
    if (failed.isEmpty()) {
      return new Timing("unavailability" + label, "", Duration.ZERO, null, Double.NaN, fault.label(),
          "no client saw a failure");
    }
    TxRecord first = failed.get(0);
    TxRecord last = failed.get(failed.size() - 1);
    return Timing.since("unavailability" + label, "", fault, last.sentAt(),
        "fault → last failed send; " + failed.size() + " failed sends, first at "
            + signedMs(Duration.between(fault.latest(), first.sentAt())) + " (" + first.outcome() + " "
            + first.detail() + ")");
  }

  /**
   * The first sample after {@code restart} in which some orderer reports a higher Raft term on
   * {@code channel} than any orderer reported at the restart: the rejoining node cost an election
   * (the "a node rejoining must not cost a leader change"). Empty when the term held, or
   * when no term was known at the restart (nothing to compare with).
   */
  public static Optional<String> termChangeAfter(Timeline t, FaultInstant restart, String channel) {
    long before = t.latestAt(restart.latest()).values().stream()
        .filter(StatusSample::reachable)
        .flatMap(s -> s.status().channel(channel).stream())
        .mapToLong(OrdererChannelStatus::term).max().orElse(-1);
    if (before < 0) {
      return Optional.empty();
    }
    for (StatusSample s : t.samples()) {
      if (!s.at().isAfter(restart.latest()) || !s.reachable()) {
        continue;
      }
      Optional<OrdererChannelStatus> c = s.status().channel(channel).filter(x -> x.term() > before);
      if (c.isPresent()) {
        return Optional.of(s.node() + " reported term " + c.get().term() + " (leader "
            + (c.get().leaderId() > 0 ? t.ordererName(c.get().leaderId()) : "none") + ") "
            + Duration.between(restart.latest(), s.answeredAt()).toMillis() + " ms after " + restart.label()
            + "; the term was " + before + " at it");
      }
    }
    return Optional.empty();
  }

  /**
   * Catch-up of {@code node} restarted (or healed, or thawed) at {@code restart}: from its first
   * reachable sample to the first sample where it has the height of the highest other orderer,
   * in that round or the round before (under a fast load the others cut a new block every few
   * samples, so a follower that keeps up can still trail the leader by one in every round);
   * rate in blocks/s.
   */
  public static Timing catchUp(Timeline t, FaultInstant restart, String node, String channel) {
    StatusSample first = null;
    long othersBefore = Long.MAX_VALUE;
    for (Instant at : t.instants()) {
      if (at.isBefore(restart.earliest())) {
        continue;
      }
      Map<String, StatusSample> round = t.latestAt(at);
      StatusSample mine = round.get(node);
      if (mine == null || !mine.reachable() || !mine.at().equals(at)) {
        continue;
      }
      long own = mine.status().channel(channel).map(OrdererChannelStatus::height).orElse(-1L);
      if (own < 0) {
        continue;
      }
      if (first == null) {
        first = mine;
      }
      long others = round.values().stream()
          .filter(s -> !s.node().equals(node) && s.reachable())
          .mapToLong(s -> s.status().channel(channel).map(OrdererChannelStatus::height).orElse(0L))
          .max().orElse(0);
      long target = Math.min(others, othersBefore);
      othersBefore = others;
      if (own >= target) {
        long firstHeight = first.status().channel(channel).map(OrdererChannelStatus::height).orElse(0L);
        Duration took = Duration.between(first.at(), at);
        double rate = took.isZero() ? Double.NaN : (own - firstHeight) / (took.toMillis() / 1000.0);
        return Timing.seen("catch-up", channel, restart, at, lastAnswer(round.values()),
            node + " " + firstHeight + " → " + own + " blocks; reachable "
                + signedMs(Duration.between(restart.latest(), first.at())) + " after " + restart.label())
            .withRate(rate);
      }
    }
    return Timing.notObserved("catch-up", channel, restart, first == null
        ? node + " never answered /status after " + restart.label()
        : node + " did not reach the others' height before the end of the drill");
  }

  /** Heal → first sample where every orderer is reachable with the same height and last hash on every channel. */
  public static Timing converged(Timeline t, FaultInstant heal) {
    return firstRoundSince(t, heal, round -> isConverged(round, t.orderers(), t.channels()))
        .map(at -> Timing.seen("heal → converged", "", heal, at, lastAnswer(t.latestAt(at).values()),
            "all " + t.orderers().size() + " orderers at equal height and last block hash"))
        .orElseGet(() -> Timing.notObserved("heal → converged", "", heal, "orderers had not converged at the end of the drill"));
  }

  /**
   * Heal → first sample round where every orderer is reachable and within one block of the
   * highest on every channel: all of them follow the live head. Under a load the chain grows
   * several blocks a second, and a poll round (one request per orderer, answered over tens to
   * hundreds of ms) often straddles a commit, so {@link #converged} (all equal in one round) can
   * come seconds after every orderer has caught up.
   */
  public static Timing atHead(Timeline t, FaultInstant heal) {
    return firstRoundSince(t, heal, round -> isWithinOneBlock(round, t.orderers(), t.channels()))
        .map(at -> Timing.seen("heal → all at the head", "", heal, at, lastAnswer(t.latestAt(at).values()),
            "all " + t.orderers().size() + " orderers within one block of the highest"))
        .orElseGet(() -> Timing.notObserved("heal → all at the head", "", heal,
            "some orderer was still behind at the end of the drill"));
  }

  /** When the last answer of a round arrived: by then every state the round shows had been read. */
  private static Instant lastAnswer(Collection<StatusSample> round) {
    return round.stream().map(StatusSample::answeredAt).max(Instant::compareTo).orElseThrow();
  }

  /** The first sample instant from {@code from} on whose round (latest sample per orderer) satisfies {@code test}. */
  private static Optional<Instant> firstRoundSince(Timeline t, FaultInstant from,
      java.util.function.Predicate<Collection<StatusSample>> test) {
    return t.instants().stream()
        .filter(at -> !at.isBefore(from.earliest()))
        .filter(at -> test.test(t.latestAt(at).values()))
        .findFirst();
  }

  private static boolean isWithinOneBlock(Collection<StatusSample> round, List<String> orderers, List<String> channels) {
    if (round.size() < orderers.size() || round.stream().anyMatch(s -> !s.reachable())) {
      return false;
    }
    for (String channel : channels) {
      var heights = round.stream().map(s -> s.status().channel(channel)).toList();
      if (heights.stream().anyMatch(Optional::isEmpty)) {
        return false;
      }
      var stats = heights.stream().mapToLong(c -> c.get().height()).summaryStatistics();
      if (stats.getMax() - stats.getMin() > 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * A leader that was frozen and thawed still believes it leads in its old term until it hears
   * of the newer one: thaw → first sample in which {@code node} no longer reports itself LEADER
   * in {@code oldTerm}.
   */
  public static Timing stepDown(Timeline t, FaultInstant thaw, String node, String channel, long oldTerm) {
    for (StatusSample s : t.samplesOf(node)) {
      if (s.at().isBefore(thaw.earliest()) || !s.reachable()) {
        continue;
      }
      Optional<OrdererChannelStatus> c = s.status().channel(channel);
      if (c.isPresent() && !(c.get().isLeader() && c.get().term() == oldTerm)) {
        return Timing.seen("thaw → old leader steps down", channel, thaw, s.at(), s.answeredAt(),
            node + " reports " + c.get().role() + " in term " + c.get().term() + " (was LEADER in term "
                + oldTerm + "), seen in /status");
      }
    }
    return Timing.notObserved("thaw → old leader steps down", channel, thaw,
        node + " was not seen as anything but LEADER in term " + oldTerm + " after the thaw");
  }

  /**
   * Leader changes of {@code channel} seen between {@code from} and {@code to}: the highest term
   * any orderer reported in that span minus the highest term reported up to {@code from}.
   */
  public static long termChanges(Timeline t, String channel, Instant from, Instant to) {
    long before = 0;
    long during = 0;
    for (StatusSample s : t.samples()) {
      if (!s.reachable() || s.at().isAfter(to)) {
        continue;
      }
      long term = s.status().channel(channel).map(OrdererChannelStatus::term).orElse(0L);
      if (s.at().isAfter(from)) {
        during = Math.max(during, term);
      } else {
        before = Math.max(before, term);
      }
    }
    return Math.max(0, during - before);
  }

  /** True when every named orderer answered and all agree on height and last hash per channel. */
  public static boolean isConverged(Collection<StatusSample> round, List<String> orderers,
      List<String> channels) {
    if (round.size() < orderers.size() || round.stream().anyMatch(s -> !s.reachable())) {
      return false;
    }
    for (String channel : channels) {
      long distinct = round.stream()
          .map(s -> s.status().channel(channel).map(c -> c.height() + "/" + c.lastBlockHash()).orElse("-"))
          .distinct().count();
      if (distinct != 1) {
        return false;
      }
      if (round.stream().anyMatch(s -> s.status().channel(channel).isEmpty())) {
        return false;
      }
    }
    return true;
  }

  /** The leader of {@code channel} among the samples (the one reporting role LEADER, highest term). */
  public static Optional<OrdererChannelStatus> leaderAt(Collection<StatusSample> samples, String channel) {
    return samples.stream()
        .filter(StatusSample::reachable)
        .map(s -> s.status().channel(channel))
        .flatMap(Optional::stream)
        .filter(OrdererChannelStatus::isLeader)
        .max(java.util.Comparator.comparingLong(OrdererChannelStatus::term));
  }

  static long maxHeight(Collection<StatusSample> samples, String channel) {
    return samples.stream().filter(StatusSample::reachable)
        .mapToLong(s -> s.status().channel(channel).map(OrdererChannelStatus::height).orElse(0L))
        .max().orElse(0);
  }

  private static String signedMs(Duration d) {
    return (d.isNegative() ? "" : "+") + d.toMillis() + " ms";
  }

  /** For callers that only need the value in ms, or -1. */
  public static long millis(Timing timing) {
    return Objects.requireNonNull(timing).observed() ? timing.value().toMillis() : -1;
  }
}
