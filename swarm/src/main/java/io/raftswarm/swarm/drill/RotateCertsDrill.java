package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.FaultInstant;
import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.DrillEvent;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.drill.timeline.Timings;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.rotate.CertRotation;
import io.raftswarm.swarm.provision.rotate.NodeRestart;
import io.raftswarm.swarm.provision.rotate.RotationContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A certificate rotation as a drill: {@code rotate-certs} of one node — the very same steps
 * ({@link CertRotation}) — under the background load, ending with the safety verdict. The node's
 * restart goes through the drill's fault injector, so the stop and the start are timed from when
 * the engine did them and a stopped node is started again if the drill is interrupted. For an
 * orderer the load goes to the other orderers (its own clients would only see the restart).
 */
public final class RotateCertsDrill implements Drill {
  private final String nodeName;
  private final Function<NodeRestart, RotationContext> rotation;
  private final PrintWriter progress;
  private NetworkProfile.NodeEntry node;
  private List<String> targets;
  private String wasLeaderOf;
  private FaultInstant stoppedAt;
  private FaultInstant startedAt;

  /**
   * @param node the node to rotate (a name network.json resolves)
   * @param rotation the rotation's context around the restart the drill provides
   * @param progress where the rotation's steps print
   */
  public RotateCertsDrill(String node, Function<NodeRestart, RotationContext> rotation, PrintWriter progress) {
    this.nodeName = node;
    this.rotation = rotation;
    this.progress = progress;
  }

  @Override
  public String name() {
    return "rotate-certs";
  }

  @Override
  public List<String> loadTargets(DrillContext ctx) {
    node = CertRotation.select(ctx.profile(), List.of(nodeName)).get(0);
    targets = ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> !n.equals(node.name())).toList();
    return targets;
  }

  @Override
  public void execute(DrillContext ctx) throws InterruptedException {
    String channel = ctx.profile().channels().get(0);
    wasLeaderOf = ctx.leaderOf(channel).filter(l -> l.name().equals(node.name())).map(l -> channel).orElse(null);
    NodeRestart restart = n -> {
      CommandSpan stop = ctx.faults().stop(n);
      stoppedAt = ctx.record(DrillEvent.Kind.FAULT,
          ctx.faultClock().engineEvent("stop " + n.name(), n.host(), n.name(), "kill", stop),
          "docker stop " + n.name() + " (rotate-certs restarts it with its new certificates)", List.of(n.name()));
      CommandSpan start = ctx.faults().start(n);
      startedAt = ctx.record(DrillEvent.Kind.RESTART,
          ctx.faultClock().engineEvent("start " + n.name(), n.host(), n.name(), "start", start),
          "docker start " + n.name() + " with its new certificates", List.of(n.name()));
    };
    ctx.note("rotating the certificates of " + node.name());
    try {
      new CertRotation(rotation.apply(restart), progress).rotate(List.of(node),
          "raftswarm drill rotate-certs --node " + nodeName + " (or raftswarm rotate-certs " + nodeName + ")");
      ctx.expect("the rotation of " + node.name() + " completes", true, (node.isOrderer()
          ? "new TLS certificate in force on every channel, " : "") + "restarted, serving the new certificate, caught up");
    } catch (UserError e) {
      ctx.expect("the rotation of " + node.name() + " completes", false, e.getMessage());
    }
  }

  @Override
  public Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load) {
    List<Timing> timings = new ArrayList<>();
    List<Expectation> expectations = new ArrayList<>();
    if (stoppedAt != null && node.isOrderer()) {
      String channel = ctx.profile().channels().get(0);
      if (wasLeaderOf != null) {
        timings.add(Timings.election(timeline, stoppedAt, wasLeaderOf, node.name()));
      }
      Timing next = Timings.nextBlock(timeline, stoppedAt, channel);
      timings.add(next);
      timings.add(Timings.firstAck(load.records(), stoppedAt, Set.copyOf(targets)));
      timings.add(Timings.unavailability(load.records(), stoppedAt,
          startedAt == null ? timeline.end() : startedAt.latest(), Set.copyOf(targets), ""));
      expectations.add(new Expectation("ordering continues while " + node.name() + " restarts", next.observed(),
          next.observed() ? "next block after " + next.value().toMillis() + " ms" : next.note()));
      if (startedAt != null) {
        Timing catchUp = Timings.catchUp(timeline, startedAt, node.name(), channel);
        timings.add(catchUp);
        expectations.add(new Expectation("the restarted orderer catches up", catchUp.observed(), catchUp.note()));
      }
    }
    String description = node == null ? "no node was rotated"
        : "rotate-certs of " + node.name() + " on " + node.host() + (wasLeaderOf != null ? " (leader of " + wasLeaderOf + ")" : "")
            + "; load to " + targets.size() + " orderers";
    return new Conclusion(description, timings, expectations);
  }
}
