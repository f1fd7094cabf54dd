package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers the evidence for a fault instant right after the fault — the engine's event and
 * {@code State.FinishedAt} through an {@link EngineWitness}, the host's clock offset — and hands
 * it to {@link FaultInstants}. Never throws for missing evidence: what could not be read
 * becomes a warning on the instant.
 */
public final class FaultClock {
  /** How long to wait for the engine to log an event after the command returned. */
  static final Duration EVENT_WAIT = Duration.ofSeconds(5);
  /**
   * Events are searched from the command's issue minus this (beyond the offset's uncertainty):
   * enough for rounding, far less than any earlier run of the same container lasted.
   */
  static final Duration SINCE_MARGIN = Duration.ofMillis(500);
  /** Without a known offset the issue time is guessed on the host's clock this generously. */
  static final Duration UNKNOWN_CLOCK_SLACK = Duration.ofSeconds(5);

  private final EngineWitness witness;

  public FaultClock(EngineWitness witness) {
    this.witness = witness;
  }

  public ClockOffset clockOf(String host) {
    try {
      return witness.clock(host);
    } catch (RuntimeException e) {
      return ClockOffset.unknown(host, String.valueOf(e.getMessage()));
    }
  }

  /** A container killed or stopped: State.FinishedAt (containerd's exit time), cross-checked with the {@code die} event. */
  public FaultInstant died(String label, String host, String container, CommandSpan command) {
    return fromEngine(label, host, container, "die", command, true);
  }

  /**
   * {@link #died}, and the window opened back to when another node first logged a line
   * containing {@code text} (e.g. that its connection to the killed one closed) if that was
   * earlier: see {@link FaultInstants#noticedBy}.
   *
   * @param observers host and container of each node that may notice, by host
   */
  public FaultInstant died(String label, String host, String container, CommandSpan command,
      Map<String, List<String>> observers, String text) {
    FaultInstant died = died(label, host, container, command);
    List<Noticed> noticed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    observers.forEach((observerHost, containers) -> {
      Instant from = searchFrom(clockOf(observerHost), command);
      for (String observer : containers) {
        try {
          witness.firstLogLine(observerHost, observer, text, from).ifPresent(noticed::add);
        } catch (RuntimeException e) {
          problems.add("cannot read the log of " + observer + " on " + observerHost + ": " + e.getMessage());
        }
      }
    });
    FaultInstant opened = FaultInstants.noticedBy(died, noticed, this::clockOf);
    if (problems.isEmpty()) {
      return opened;
    }
    List<String> warnings = new ArrayList<>(opened.warnings());
    warnings.addAll(problems);
    return new FaultInstant(opened.label(), opened.window(), opened.source(), opened.clocks(), opened.command(),
        opened.notes(), warnings, opened.evidence());
  }

  /**
   * Each observer's first log line containing {@code text} at or after {@code since} (the
   * operator's clock, converted per host), earliest first. A log that cannot be read is left out:
   * callers report what was seen, and say so when nothing was.
   *
   * @param observers host and container of each node that may notice, by host
   */
  public List<Noticed> noticed(Map<String, List<String>> observers, String text, Instant since) {
    List<Noticed> noticed = new ArrayList<>();
    observers.forEach((observerHost, containers) -> {
      ClockOffset clock = clockOf(observerHost);
      Instant from = (clock.known() ? clock.fromOperator(since).minus(clock.uncertainty()) : since.minus(UNKNOWN_CLOCK_SLACK))
          .minus(SINCE_MARGIN);
      for (String observer : containers) {
        try {
          witness.firstLogLine(observerHost, observer, text, from).ifPresent(noticed::add);
        } catch (RuntimeException e) {
          // unreadable: not seen
        }
      }
    });
    noticed.sort(java.util.Comparator.comparing(Noticed::at));
    return noticed;
  }

  /** A container paused, unpaused or started: the engine's event of that name. */
  public FaultInstant engineEvent(String label, String host, String container, String action, CommandSpan command) {
    return fromEngine(label, host, container, action, command, false);
  }

  public FaultInstant cut(String label, CutLog log) {
    return FaultInstants.cut(label, log, clockOf(log.host()));
  }

  public FaultInstant healed(String label, CutLog log) {
    return FaultInstants.healed(label, log, clockOf(log.host()));
  }

  /** A change without probes (see {@link FaultInstants#changed}). */
  public FaultInstant changed(String label, String what, CutLog log) {
    return FaultInstants.changed(label, what, log, clockOf(log.host()));
  }

  /** The command's issue on that host's clock, less the offset's uncertainty and a margin: where to search its records from. */
  private static Instant searchFrom(ClockOffset clock, CommandSpan command) {
    return (clock.known() ? clock.fromOperator(command.issued()).minus(clock.uncertainty())
        : command.issued().minus(UNKNOWN_CLOCK_SLACK)).minus(SINCE_MARGIN);
  }

  private FaultInstant fromEngine(String label, String host, String container, String action,
      CommandSpan command, boolean readFinishedAt) {
    ClockOffset clock = clockOf(host);
    Instant since = searchFrom(clock, command);
    List<String> problems = new ArrayList<>();
    Optional<EngineEvent> event = Optional.empty();
    try {
      event = witness.event(host, container, action, since, EVENT_WAIT);
    } catch (RuntimeException e) {
      problems.add("cannot read the " + action + " event of " + container + " from " + host + "'s engine: " + e.getMessage());
    }
    Optional<Instant> finishedAt = Optional.empty();
    if (readFinishedAt) {
      try {
        finishedAt = witness.finishedAt(host, container);
      } catch (RuntimeException e) {
        problems.add("cannot inspect " + container + " on " + host + ": " + e.getMessage());
      }
    }
    return FaultInstants.fromEngine(label, action, command, event, finishedAt, clock, problems);
  }
}
