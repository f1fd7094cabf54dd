package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * When a fault (or its repair) took effect, on the operator's clock, proven from the fault
 * itself rather than from when the command that caused it returned: the engine's {@code die} or
 * {@code pause} event, {@code State.FinishedAt}, or probes across a network cut. Often only a
 * window is known — a remote clock's offset is uncertain, two probes bracket a cut — so the
 * instant is a {@link Window}; a point when the window has no width.
 *
 * <p>Timings are measured from the window's end ({@link #reference()}): the fault had certainly
 * taken effect by then, so a timing from it never credits the cluster with time it did not have
 * — but it may understate by up to the window's width, which is why timings also carry the
 * value measured from the window's start.
 *
 * @param label short name used by timings, e.g. "kill orderer3.example.com"
 * @param window earliest and latest operator-clock instant the fault can have taken effect
 * @param source what proved it, e.g. "engine die event", "first failed probe across the cut"
 * @param clocks the host clocks its evidence came from, with the offsets applied
 * @param command the command that caused it (issued/returned, operator clock), or null
 * @param notes cross-checks that agreed (or explain the window)
 * @param warnings cross-checks that failed, or evidence that was missing
 * @param evidence raw observations, verbatim, for the JSON report
 */
public record FaultInstant(
    String label,
    Window window,
    String source,
    List<ClockOffset> clocks,
    CommandSpan command,
    List<String> notes,
    List<String> warnings,
    List<Evidence> evidence) {

  public FaultInstant {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(source, "source");
    clocks = List.copyOf(clocks);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
    evidence = List.copyOf(evidence);
  }

  /** An instant known exactly on the operator's clock (tests, in-process faults). */
  public static FaultInstant exact(String label, Instant at, String source) {
    return new FaultInstant(label, Window.at(at), source, List.of(), null, List.of(), List.of(), List.of());
  }

  public Instant earliest() {
    return window.earliest();
  }

  public Instant latest() {
    return window.latest();
  }

  /** The instant timings are measured from: the window's end (see the class comment). */
  public Instant reference() {
    return window.latest();
  }

  public boolean isWindow() {
    return !window.width().isZero();
  }

  public Duration width() {
    return window.width();
  }
}
