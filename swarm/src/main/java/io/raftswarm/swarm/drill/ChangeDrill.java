package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.clock.Window;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Any operator change run as a drill ({@code raftswarm drill change -- COMMAND}): a provision that
 * adds or removes orderers, a certificate rotation, a channel update. The command runs under the
 * background load; the drill expects it to succeed and ordering to go on, reports how many
 * transactions were refused while it ran, and when the command changed the network's members
 * (network.json lists other nodes afterwards) the convergence check and the safety verdict cover
 * the network as it is after the change.
 */
public final class ChangeDrill implements Drill {
  private static final int OUTPUT_TAIL = 15;

  private final List<String> command;
  private final Path networkJson;
  private final List<String> loadTo;
  private final Map<String, Long> heightsBefore = new HashMap<>();
  private FaultInstant ran;
  private NetworkProfile after;

  /**
   * @param networkJson re-read after the command (it may have changed the members)
   * @param loadTo orderers the load goes to; empty: every orderer
   */
  public ChangeDrill(List<String> command, Path networkJson, List<String> loadTo) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to run");
    }
    this.command = List.copyOf(command);
    this.networkJson = networkJson;
    this.loadTo = List.copyOf(loadTo);
  }

  @Override
  public String name() {
    return "change";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    if (loadTo.isEmpty()) {
      return ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name).toList();
    }
    for (String o : loadTo) {
      if (ctx.profile().orderers().stream().noneMatch(n -> n.name().equals(o))) {
        throw new io.raftswarm.swarm.error.UserError("--load-to " + o + " is not an orderer of the network; orderers: "
            + ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name).toList());
      }
    }
    return loadTo;
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    for (String channel : ctx.profile().channels()) {
      heightsBefore.put(channel, ctx.heights(channel).values().stream().mapToLong(Long::longValue).max().orElse(0));
    }
    String shown = String.join(" ", command);
    var issued = ctx.now();
    ctx.progress("  running: " + shown);
    Deque<String> tail = new ArrayDeque<>();
    int exit;
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = output.readLine()) != null) {
          ctx.progress("    | " + line);
          tail.addLast(line);
          if (tail.size() > OUTPUT_TAIL) {
            tail.removeFirst();
          }
        }
      }
      exit = process.waitFor();
    } catch (IOException e) {
      throw new io.raftswarm.swarm.error.UserError("cannot run " + shown + ": " + e.getMessage(), e);
    }
    var returned = ctx.now();
    ran = ctx.record(DrillEvent.Kind.FAULT, new FaultInstant("change", new Window(issued, returned),
        "the command's run, from start to exit", List.of(), new CommandSpan(shown, issued, returned), List.of(), List.of(),
        List.of()), "ran: " + shown, List.of());
    ctx.expect("the change exits 0", exit == 0, exit == 0 ? "" : "exit " + exit + ":\n      " + String.join("\n      ", tail));
    after = NetworkProfile.read(networkJson);
    boolean membersChanged = !names(after).equals(names(ctx.profile()));
    for (String channel : ctx.profile().channels()) {
      long before = heightsBefore.get(channel);
      long now = ctx.awaitHeightAbove(channel, before, Set.of(), ctx.settings().convergeTimeout());
      ctx.expect("ordering goes on on " + channel + " after the change", now > before, "height " + before + " → " + now);
    }
    if (!membersChanged) {
      after = null;
    }
    ctx.hold(ctx.settings().hold());
  }

  private static List<String> names(NetworkProfile profile) {
    return profile.nodes().stream().map(NetworkProfile.NodeEntry::name).sorted().toList();
  }

  @Override
  public Optional<NetworkProfile> profileAfter() {
    return Optional.ofNullable(after);
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    if (ran != null) {
      timings.add(Timings.unavailability(load.records(), ran, ran.latest(), Set.of(), ""));
    }
    return new Conclusion("`" + String.join(" ", command) + "` under load"
        + (loadTo.isEmpty() ? " to every orderer" : " to " + String.join(", ", loadTo)), timings, List.<Expectation>of());
  }
}
