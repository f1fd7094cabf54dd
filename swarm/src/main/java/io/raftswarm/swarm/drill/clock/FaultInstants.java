package io.raftswarm.swarm.drill.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns what a fault left behind into the {@link FaultInstant} it took effect. Pure: the
 * evidence is gathered elsewhere ({@link FaultClock}); this only weighs it.
 *
 * <p>A container's death: {@code State.FinishedAt} first — dockerd sets it from containerd's
 * exit time ({@code ExitedAt}) — cross-checked with the engine's {@code die} event, which
 * dockerd logs only after cleaning up the container (138 and 465 ms later on the loaded lab),
 * so the event is a late bound, not the death. Pause, unpause and start: the engine's event of
 * that name ({@code timeNano}). With no usable engine record: the span between issuing the
 * command and its return. Engine times are on the host's clock and are moved to the operator's
 * with the host's {@link ClockOffset}; the offset's uncertainty widens the window. For a cut or
 * heal, probes across the cut bound it.
 */
public final class FaultInstants {
  /**
   * The engine handles a container's exit asynchronously and may log {@code die} a little after
   * {@code docker kill} returned; an engine time later than the return by more than this means
   * the clock offset (or the event) is wrong.
   */
  static final Duration LOG_LAG = Duration.ofSeconds(1);

  private FaultInstants() {}

  /**
   * A container fault from the engine's records.
   *
   * @param action the engine event that marks it: "die", "pause", "unpause", "start"
   * @param finishedAt {@code State.FinishedAt} (host clock); only meaningful for "die"
   * @param problems why some evidence could not be read (become warnings)
   */
  public static FaultInstant fromEngine(String label, String action, CommandSpan command,
      Optional<EngineEvent> event, Optional<Instant> finishedAt, ClockOffset clock, List<String> problems) {
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>(problems);
    List<Evidence> evidence = new ArrayList<>(commandEvidence(command));
    event.ifPresent(e -> evidence.add(new Evidence(action + " event timeNano", Long.toString(e.timeNano()),
        e.time(), clock.host())));
    finishedAt.ifPresent(f -> evidence.add(new Evidence("State.FinishedAt", f.toString(), f, clock.host())));

    boolean placeable = clock.known();
    if (!placeable && (event.isPresent() || finishedAt.isPresent())) {
      warnings.add("the engine's times cannot be placed on the operator's clock: " + clock.describe());
    }
    // FinishedAt from before the command was issued belongs to an earlier run of the container
    Optional<Instant> exit = finishedAt.filter(f -> placeable);
    if (exit.isPresent() && clock.toOperator(exit.get()).latest().isBefore(command.issued())) {
      warnings.add("State.FinishedAt " + ms(Duration.between(clock.toOperator(exit.get()).latest(), command.issued()))
          + " before `" + command.command() + "` was issued belongs to an earlier exit and is not used");
      exit = Optional.empty();
    }
    Window window;
    String source;
    if (exit.isPresent()) {
      window = clock.toOperator(exit.get());
      source = "State.FinishedAt";
      if (event.isPresent()) {
        Duration lag = Duration.between(exit.get(), event.get().time());
        if (lag.isNegative()) {
          window = window.span(clock.toOperator(event.get().time()));
          notes.add("cross-check: the engine's " + action + " event is " + ms(lag.abs()) + " before State.FinishedAt"
              + " (unexpected: dockerd logs it after recording the exit); the window spans both");
        } else {
          notes.add("cross-check: the engine logged its " + action + " event " + ms(lag)
              + " later (dockerd does so after cleaning up the container)");
        }
      } else {
        warnings.add("no engine " + action + " event to cross-check State.FinishedAt with");
      }
    } else if (placeable && event.isPresent()) {
      window = clock.toOperator(event.get().time());
      source = "engine " + action + " event";
      if (action.equals("die")) {
        warnings.add("no usable State.FinishedAt: the die event is logged after the engine's clean-up and"
            + " may be late by up to a few hundred ms on a loaded host");
      }
    } else {
      window = command.window();
      source = "`" + command.command() + "` issued → returned (no engine record)";
      warnings.add("no usable engine record of the " + action + ": the fault is only known to lie between"
          + " issuing the command and its return (" + ms(command.took()) + ")");
      return new FaultInstant(label, window, source, List.of(clock), command, notes, warnings, evidence);
    }
    checkAgainstCommand(action, window, command, clock, notes, warnings);
    return new FaultInstant(label, window, source, List.of(clock), command, notes, warnings, evidence);
  }

  /**
   * {@code instant} with its window opened back to the earliest time another node noticed the
   * fault, when that is before the window's start. Needed for a kill: dockerd records
   * {@code State.FinishedAt} only once containerd has reported the exit, and on the loaded lab the
   * surviving orderers logged the killed one's closed connections 6-248 ms before it in 20 of 20 runs. Records
   * from hosts whose clock cannot be placed are listed but not used.
   */
  public static FaultInstant noticedBy(FaultInstant instant, List<Noticed> noticed,
      Function<String, ClockOffset> clocks) {
    if (noticed.isEmpty()) {
      return instant;
    }
    List<String> notes = new ArrayList<>(instant.notes());
    List<String> warnings = new ArrayList<>(instant.warnings());
    List<Evidence> evidence = new ArrayList<>(instant.evidence());
    Map<String, ClockOffset> used = new LinkedHashMap<>();
    instant.clocks().forEach(c -> used.put(c.host(), c));
    Noticed first = null;
    Instant firstAt = null;
    for (Noticed n : noticed) {
      evidence.add(new Evidence(n.container() + " noticed it", n.line(), n.at(), n.host()));
      ClockOffset clock = clocks.apply(n.host());
      if (!clock.known()) {
        warnings.add(n.container() + "'s record of it cannot be placed on the operator's clock: " + clock.describe());
        continue;
      }
      used.putIfAbsent(clock.host(), clock);
      Instant at = clock.toOperator(n.at()).earliest();
      if (firstAt == null || at.isBefore(firstAt)) {
        first = n;
        firstAt = at;
      }
    }
    if (first == null) {
      return new FaultInstant(instant.label(), instant.window(), instant.source(), List.copyOf(used.values()),
          instant.command(), notes, warnings, evidence);
    }
    Window window = instant.window();
    String source = instant.source();
    if (firstAt.isBefore(window.earliest())) {
      notes.add(first.container() + " on " + first.host() + " noticed it " + ms(Duration.between(firstAt, window.earliest()))
          + " before the window's start (" + instant.source() + "): the window now starts there");
      window = new Window(firstAt, window.latest());
      source = instant.source() + ", opened back to " + first.container() + "'s record of it";
    } else {
      notes.add("cross-check: the first other node to notice it (" + first.container() + ") did so "
          + ms(Duration.between(window.earliest(), firstAt)) + " after the window's start");
    }
    return new FaultInstant(instant.label(), window, source, List.copyOf(used.values()), instant.command(), notes,
        warnings, evidence);
  }

  private static void checkAgainstCommand(String action, Window window, CommandSpan command,
      ClockOffset clock, List<String> notes, List<String> warnings) {
    if (window.latest().isBefore(command.issued())) {
      warnings.add("the engine dates the " + action + " " + ms(Duration.between(window.latest(), command.issued()))
          + " before `" + command.command() + "` was issued: is the clock offset of " + clock.host() + " right?");
    } else if (window.earliest().isAfter(command.returned().plus(LOG_LAG))) {
      warnings.add("the engine dates the " + action + " " + ms(Duration.between(command.returned(), window.earliest()))
          + " after `" + command.command() + "` returned: is the clock offset of " + clock.host() + " right?");
    } else {
      notes.add("`" + command.command() + "` was issued at " + signed(Duration.between(window.latest(), command.issued()))
          + " and returned at " + signed(Duration.between(window.latest(), command.returned()))
          + " relative to this instant");
    }
  }

  /**
   * The moment the last of several faults took effect ("3 of 7 down" is true once the third
   * died): the latest of uncertain instants lies between the latest earliest and the latest
   * latest bound.
   */
  public static FaultInstant lastOf(String label, List<FaultInstant> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("lastOf needs at least one instant");
    }
    if (parts.size() == 1) {
      FaultInstant p = parts.get(0);
      return new FaultInstant(label, p.window(), p.source(), p.clocks(), p.command(), p.notes(),
          p.warnings(), p.evidence());
    }
    Instant earliest = parts.stream().map(FaultInstant::earliest).max(Comparator.naturalOrder()).orElseThrow();
    Instant latest = parts.stream().map(FaultInstant::latest).max(Comparator.naturalOrder()).orElseThrow();
    Map<String, ClockOffset> clocks = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    for (FaultInstant p : parts) {
      p.clocks().forEach(c -> clocks.putIfAbsent(c.host(), c));
      notes.add(p.label() + ": " + signed(Duration.between(latest, p.latest())) + " (" + p.source() + ")");
      p.warnings().forEach(w -> warnings.add(p.label() + ": " + w));
      p.evidence().forEach(e -> evidence.add(new Evidence(p.label() + ": " + e.name(), e.raw(), e.at(), e.clock())));
    }
    String sources = String.join(" / ", parts.stream().map(FaultInstant::source).distinct().toList());
    return new FaultInstant(label, new Window(earliest, latest), "the last of " + parts.size() + ": " + sources,
        List.copyOf(clocks.values()), null, notes, warnings, evidence);
  }

  /**
   * A cut (iptables DROP rules going in on {@code log.host()}): it took effect by the first
   * failed probe across it and not before the last successful one or the start of the rule
   * change, whichever is later. With several targets, the host is cut off once the last of them
   * is. Unconfirmed (no failed probe) it falls back to the rule change's own times.
   */
  public static FaultInstant cut(String label, CutLog log, ClockOffset clock) {
    return fromProbes(label, log, clock, false);
  }

  /**
   * A heal (the rules removed): it took effect by the first successful probe across the former
   * cut and not before the last failed one or the start of the rule removal, whichever is later.
   */
  public static FaultInstant healed(String label, CutLog log, ClockOffset clock) {
    return fromProbes(label, log, clock, true);
  }

  /**
   * A change a host made to itself that no probe can confirm (a tc netem delay): it took effect
   * between the host-clock stamps around the change, else between issuing the command and its
   * return. {@code what} names the change, e.g. "tc netem added".
   */
  public static FaultInstant changed(String label, String what, CutLog log, ClockOffset clock) {
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>(commandEvidence(log.command()));
    log.rules().forEach(r -> evidence.add(new Evidence("change", r, log.rulesTo(), log.host())));
    if (log.rulesFrom() == null || log.rulesTo() == null || log.rulesTo().isBefore(log.rulesFrom()) || !clock.known()) {
      if (!clock.known()) {
        warnings.add("the host's times cannot be placed on the operator's clock: " + clock.describe());
      }
      return commandFallback(label, log, clock, what, notes, warnings, evidence);
    }
    evidence.add(new Evidence(what + ": started", "", log.rulesFrom(), log.host()));
    evidence.add(new Evidence(what + ": ended", "", log.rulesTo(), log.host()));
    notes.add("window: the host's clock just before and just after the change; it applies to the packets sent after it");
    Window window = new Window(clock.toOperator(log.rulesFrom()).earliest(), clock.toOperator(log.rulesTo()).latest());
    return new FaultInstant(label, window, what + " (host clock around the change)", List.of(clock), log.command(),
        notes, warnings, evidence);
  }

  private static FaultInstant fromProbes(String label, CutLog log, ClockOffset clock, boolean heal) {
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>(commandEvidence(log.command()));
    if (log.rulesFrom() != null) {
      evidence.add(new Evidence("iptables rules change started", "", log.rulesFrom(), log.host()));
    }
    if (log.rulesTo() != null) {
      evidence.add(new Evidence("iptables rules change ended", "", log.rulesTo(), log.host()));
    }
    for (ProbeRecord p : log.probes()) {
      evidence.add(new Evidence("probe " + p.phase() + " " + p.target() + " " + (p.ok() ? "ok" : "failed"),
          "sent " + p.sent() + ", done " + p.done(), p.sent(), log.host()));
    }
    log.unreadable().forEach(l -> warnings.add("unreadable probe output from " + log.host() + ": " + l));
    String what = heal ? "heal" : "cut";
    if (!clock.known()) {
      warnings.add("the probe times cannot be placed on the operator's clock: " + clock.describe());
      return commandFallback(label, log, clock, what, notes, warnings, evidence);
    }
    // the old state is shown by a successful probe before a cut, a failed one before a heal
    Predicate<ProbeRecord> oldState = p -> p.before() && p.ok() != heal;
    Predicate<ProbeRecord> newState = p -> !p.before() && p.ok() == heal;
    List<String> unconfirmed = new ArrayList<>();
    List<String> noBaseline = new ArrayList<>();
    Instant earliest = null;
    Instant latest = null;
    for (String target : log.targets()) {
      Optional<ProbeRecord> first = log.probes().stream().filter(p -> p.target().equals(target)).filter(newState).findFirst();
      if (first.isEmpty()) {
        unconfirmed.add(target);
        continue;
      }
      // a success proves the path open when it completed; a failure proves it cut when sent
      Instant newAt = heal ? first.get().done() : first.get().sent();
      Optional<Instant> oldAt = log.probes().stream().filter(p -> p.target().equals(target)).filter(oldState)
          .reduce((a, b) -> b).map(p -> heal ? p.sent() : p.done());
      if (oldAt.isEmpty()) {
        noBaseline.add(target);
      }
      // traffic flows again only once every rule is gone: a heal starts with the last removal
      Instant changeFrom = heal && log.lastRuleFrom() != null ? log.lastRuleFrom() : log.rulesFrom();
      Instant from = later(oldAt.orElse(null), changeFrom);
      if (from == null) {
        from = clock.fromOperator(log.command().issued());
      }
      Instant lo = clock.toOperator(from).earliest();
      Instant hi = clock.toOperator(newAt).latest();
      earliest = earliest == null || lo.isAfter(earliest) ? lo : earliest;
      latest = latest == null || hi.isAfter(latest) ? hi : latest;
    }
    if (log.targets().isEmpty()) {
      warnings.add("no probe across the " + what + " was reported by " + log.host()
          + " (does it have bash, timeout and GNU date?)");
      return rulesFallback(label, log, clock, what, notes, warnings, evidence);
    }
    if (!unconfirmed.isEmpty()) {
      warnings.add("probes from " + log.host() + " to " + String.join(", ", unconfirmed)
          + (heal ? " still failed after the rules were removed" : " still succeeded after the rules went in")
          + ": the " + what + " is not confirmed");
      return rulesFallback(label, log, clock, what, notes, warnings, evidence);
    }
    if (!noBaseline.isEmpty()) {
      warnings.add("no probe from " + log.host() + " to " + String.join(", ", noBaseline)
          + (heal ? " failed" : " succeeded") + " before the rules changed: the window starts at the rule change");
    }
    if (latest.isBefore(earliest)) {
      earliest = latest;
    }
    Window window = new Window(earliest, latest);
    notes.add("window: from the later of the last " + (heal ? "failed" : "successful") + " probe and the start of"
        + (heal ? " the last rule's removal" : " the rule change") + ", to the first " + (heal ? "successful" : "failed") + " probe"
        + (log.targets().size() > 1 ? " (the last of " + log.targets().size() + " targets)" : ""));
    if (log.rulesFrom() != null && log.rulesTo() != null) {
      notes.add("iptables rules " + (heal ? "removed" : "inserted") + " between "
          + signed(Duration.between(window.latest(), clock.likelyOperatorTime(log.rulesFrom())))
          + " and " + signed(Duration.between(window.latest(), clock.likelyOperatorTime(log.rulesTo())))
          + " relative to the window's end");
    }
    String source = heal ? "first successful probe across the cut" : "first failed probe across the cut";
    return new FaultInstant(label, window, source, List.of(clock), log.command(), notes, warnings, evidence);
  }

  private static FaultInstant rulesFallback(String label, CutLog log, ClockOffset clock, String what,
      List<String> notes, List<String> warnings, List<Evidence> evidence) {
    if (log.rulesFrom() == null || log.rulesTo() == null || log.rulesTo().isBefore(log.rulesFrom())) {
      return commandFallback(label, log, clock, what, notes, warnings, evidence);
    }
    Window window = new Window(clock.toOperator(log.rulesFrom()).earliest(), clock.toOperator(log.rulesTo()).latest());
    return new FaultInstant(label, window, "iptables rules " + (what.equals("heal") ? "removed" : "inserted")
        + " (not confirmed by a probe)", List.of(clock), log.command(), notes, warnings, evidence);
  }

  private static FaultInstant commandFallback(String label, CutLog log, ClockOffset clock, String what,
      List<String> notes, List<String> warnings, List<Evidence> evidence) {
    warnings.add("the " + what + " is only known to lie between issuing the command and its return ("
        + ms(log.command().took()) + ")");
    return new FaultInstant(label, log.command().window(), "`" + log.command().command()
        + "` issued → returned (no usable probe)", List.of(clock), log.command(), notes, warnings, evidence);
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }

  private static List<Evidence> commandEvidence(CommandSpan c) {
    return List.of(new Evidence("command issued", c.command(), c.issued(), "operator"),
        new Evidence("command returned", c.command(), c.returned(), "operator"));
  }

  static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  static String signed(Duration d) {
    return String.format(Locale.ROOT, "%+.1f ms", d.toNanos() / 1e6);
  }
}
