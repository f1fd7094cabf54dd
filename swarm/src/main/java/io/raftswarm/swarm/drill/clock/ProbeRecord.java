package io.raftswarm.swarm.drill.clock;

import java.time.Instant;
import java.util.Objects;

/**
 * One TCP connect probe from a host across a cut, timed by that host's clock ({@code date
 * +%s.%N} just before and after). A success proves the path open when it completed; a failure
 * (no answer within the probe's timeout) proves it cut within one round trip of the send.
 *
 * @param phase "before" (taken before the rules changed) or "after"
 * @param target "address:port" probed
 */
public record ProbeRecord(String phase, String target, Instant sent, Instant done, boolean ok) {
  public ProbeRecord {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(sent, "sent");
    Objects.requireNonNull(done, "done");
  }

  public boolean before() {
    return phase.equals("before");
  }
}
