package io.raftswarm.swarm.drill.timeline;

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
 * Derives a drill's timings from what was observed. Pure: the inputs are the timeline (status
 * samples every ~100 ms, so sample-based timings are accurate to about one interval) and the
 * load's records (per-tx send/answer times, accurate to the millisecond).
 */
public final class Timings {
  private Timings() {}

  /**
   * Fault → first sample in which some orderer is LEADER of {@code channel} and is not the
   * leader from before the fault (or is, but in a higher term).
   */
  public static Timing election(Timeline t, Instant fault, String channel) {
    return election(t, fault, channel, null);
  }

  /**
   * Like {@link #election(Timeline, Instant, String)}, but the new leader must be another node
   * than {@code deposed} (the killed leader), whatever the samples showed at the fault.
   */
  public static Timing election(Timeline t, Instant fault, String channel, String deposed) {
    Optional<ChannelStatus> before = leaderAt(t.latestAt(fault).values(), channel);
    for (StatusSample s : t.samples()) {
      if (!s.at().isAfter(fault) || !s.reachable()) {
        continue;
      }
      Optional<ChannelStatus> c = s.status().channel(channel).filter(ChannelStatus::isLeader);
      boolean isNew = c.isPresent() && (deposed != null
          ? !s.node().equals(deposed)
          : before.isEmpty() || c.get().term() > before.get().term());
      if (isNew) {
        String from = deposed != null ? deposed
            : before.map(b -> t.ordererName(b.consenterId()) + " (term " + b.term() + ")").orElse("no leader");
        return Timing.of("election", channel, Duration.between(fault, s.at()),
            "leader " + from + " → " + s.node() + " (term " + c.get().term() + "), seen in /status");
      }
    }
    return Timing.notObserved("election", channel, before.isPresent()
        ? "no new leader seen; " + t.ordererName(before.get().consenterId()) + " stayed leader"
        : "no leader seen after the fault");
  }

  /**
   * Fault → first sample in which some orderer's height exceeds the highest height known at the
   * fault (heights only grow, so that is the maximum over all samples up to the fault; this also
   * works when every orderer was down at that moment).
   */
  public static Timing nextBlock(Timeline t, Instant fault, String channel) {
    long atFault = maxHeight(t.samples().stream().filter(s -> !s.at().isAfter(fault)).toList(), channel);
    for (StatusSample s : t.samples()) {
      if (s.at().isAfter(fault) && s.reachable()
          && s.status().channel(channel).map(ChannelStatus::height).orElse(0L) > atFault) {
        return Timing.of("next block", channel, Duration.between(fault, s.at()),
            "height " + atFault + " → " + (atFault + 1) + " on " + s.node() + ", seen in /status");
      }
    }
    return Timing.notObserved("next block", channel, "no block above height " + atFault
        + " was committed after the fault");
  }

  /** Fault → first SUCCESS answer for a tx sent after the fault (to any of {@code orderers}). */
  public static Timing firstAck(List<TxRecord> records, Instant fault, Set<String> orderers) {
    return records.stream()
        .filter(r -> r.outcome() == TxOutcome.SUCCESS && !r.sentAt().isBefore(fault)
            && (orderers.isEmpty() || orderers.contains(r.orderer())))
        .min(java.util.Comparator.comparing(TxRecord::answeredAt))
        .map(r -> Timing.of("first ack after fault", r.channel(),
            Duration.between(fault, r.answeredAt()), "tx sent to " + r.orderer()
                + " at +" + Duration.between(fault, r.sentAt()).toMillis() + " ms"))
        .orElse(Timing.notObserved("first ack after fault", "", "no tx sent after the fault was acknowledged"));
  }

  /**
   * Client-visible unavailability: first to last failed send in [{@code from}, {@code to}]
   * among {@code orderers} (all when empty).
   */
  public static Timing unavailability(List<TxRecord> records, Instant from, Instant to,
      Set<String> orderers, String label) {
    List<TxRecord> failed = records.stream()
        .filter(r -> r.outcome().failed() && !r.sentAt().isBefore(from) && !r.sentAt().isAfter(to)
            && (orderers.isEmpty() || orderers.contains(r.orderer())))
        .toList();
    if (failed.isEmpty()) {
      return Timing.of("unavailability" + label, "", Duration.ZERO,
          "no client saw a failure");
    }
    Instant first = failed.get(0).sentAt();
    Instant last = failed.get(failed.size() - 1).sentAt();
    return Timing.of("unavailability" + label, "", Duration.between(first, last),
        failed.size() + " failed sends, first at +" + Duration.between(from, first).toMillis()
            + " ms (" + failed.get(0).outcome() + " " + failed.get(0).detail() + ")");
  }

  /**
   * Catch-up of {@code node} restarted at {@code restart}: from its first reachable sample to the
   * first sample where it has the height of the highest other orderer; rate in blocks/s.
   */
  public static Timing catchUp(Timeline t, Instant restart, String node, String channel) {
    StatusSample first = null;
    for (Instant at : t.instants()) {
      if (at.isBefore(restart)) {
        continue;
      }
      Map<String, StatusSample> round = t.latestAt(at);
      StatusSample mine = round.get(node);
      if (mine == null || !mine.reachable() || !mine.at().equals(at)) {
        continue;
      }
      long own = mine.status().channel(channel).map(ChannelStatus::height).orElse(-1L);
      if (own < 0) {
        continue;
      }
      if (first == null) {
        first = mine;
      }
      long others = round.values().stream()
          .filter(s -> !s.node().equals(node) && s.reachable())
          .mapToLong(s -> s.status().channel(channel).map(ChannelStatus::height).orElse(0L))
          .max().orElse(0);
      if (own >= others) {
        long firstHeight = first.status().channel(channel).map(ChannelStatus::height).orElse(0L);
        Duration took = Duration.between(first.at(), at);
        double rate = took.isZero() ? Double.NaN : (own - firstHeight) / (took.toMillis() / 1000.0);
        return new Timing("catch-up", channel, Duration.between(restart, at), rate,
            node + " " + firstHeight + " → " + own + " blocks; reachable "
                + Duration.between(restart, first.at()).toMillis() + " ms after the restart/heal");
      }
    }
    return Timing.notObserved("catch-up", channel, first == null
        ? node + " never answered /status after the restart/heal"
        : node + " did not reach the others' height before the end of the drill");
  }

  /** Heal → first sample where every orderer is reachable with the same height and last hash on every channel. */
  public static Timing converged(Timeline t, Instant heal) {
    for (Instant at : t.instants()) {
      if (at.isBefore(heal)) {
        continue;
      }
      Map<String, StatusSample> round = t.latestAt(at);
      if (isConverged(round.values(), t.orderers(), t.channels())) {
        return Timing.of("heal → converged", "", Duration.between(heal, at),
            "all " + t.orderers().size() + " orderers at equal height and last block hash");
      }
    }
    return Timing.notObserved("heal → converged", "", "orderers had not converged at the end of the drill");
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
  public static Optional<ChannelStatus> leaderAt(Collection<StatusSample> samples, String channel) {
    return samples.stream()
        .filter(StatusSample::reachable)
        .map(s -> s.status().channel(channel))
        .flatMap(Optional::stream)
        .filter(ChannelStatus::isLeader)
        .max(java.util.Comparator.comparingLong(ChannelStatus::term));
  }

  static long maxHeight(Collection<StatusSample> samples, String channel) {
    return samples.stream().filter(StatusSample::reachable)
        .mapToLong(s -> s.status().channel(channel).map(ChannelStatus::height).orElse(0L))
        .max().orElse(0);
  }

  /** For callers that only need the value in ms, or -1. */
  public static long millis(Timing timing) {
    return Objects.requireNonNull(timing).observed() ? timing.value().toMillis() : -1;
  }
}
