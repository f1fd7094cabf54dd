package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.load.LoadResult;
import io.raftswarm.swarm.drill.report.Expectation;
import io.raftswarm.swarm.drill.timeline.Timeline;
import io.raftswarm.swarm.drill.timeline.Timing;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.List;
import java.util.Optional;

/**
 * One kind of drill. {@link DrillRunner} runs the frame (status sampling, background load,
 * healing in a finally block and on Ctrl-C, convergence, verdict, report); a drill only injects
 * its faults and says what it expected. One instance per run: it may keep state between
 * {@link #execute} and {@link #conclude}.
 */
public interface Drill {

  /** e.g. "kill-leader". */
  String name();

  /** The orderers the background load sends to. */
  List<String> loadTargets(DrillContext ctx);

  /**
   * Breaks the network, observes, and repairs what it broke (the runner heals anything left
   * broken afterwards anyway). Records events and expectations on {@code ctx}.
   */
  void execute(DrillContext ctx) throws InterruptedException;

  /**
   * The network as the drill left it when it changed its members (a provision that added or
   * removed orderers): convergence and the verdict then cover these nodes. Empty: unchanged.
   */
  default Optional<NetworkProfile> profileAfter() {
    return Optional.empty();
  }

  /** After the load stopped and the network converged: drill-specific timings and expectations. */
  Conclusion conclude(DrillContext ctx, Timeline timeline, LoadResult load);

  /** What a drill concludes. */
  record Conclusion(String description, List<Timing> timings, List<Expectation> expectations) {
    public Conclusion {
      timings = List.copyOf(timings);
      expectations = List.copyOf(expectations);
    }
  }
}
