package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;

/** Waits until, on every channel, all orderers agree on exactly one leader (orderer /status). */
public final class WaitLeadersStep implements ProvisionStep<ClusterStatus> {
  private final NetworkProfile profile;
  private final OperationsClient ops;
  private final Duration timeout;

  public WaitLeadersStep(NetworkProfile profile, OperationsClient ops, Duration timeout) {
    this.profile = profile;
    this.ops = ops;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "WaitLeaders";
  }

  @Override
  public StepOutcome<ClusterStatus> run(Progress progress) throws InterruptedException {
    long started = System.nanoTime();
    ClusterStatus status = Wait.upTo(timeout, Duration.ofMillis(500)).untilOrThrow(
        () -> ClusterStatus.query(profile, ops),
        s -> s.disagreements().isEmpty(),
        s -> { },
        s -> new UserError("no single agreed Raft leader after " + timeout.toSeconds() + " s:\n    "
            + String.join("\n    ", s.disagreements())
            + "\n  check the orderers' logs for cluster (port 7051) connection errors over the"
            + " overlay network"));
    StringBuilder sb = new StringBuilder();
    for (String ch : profile.channels()) {
      long id = status.agreedLeader(ch).orElseThrow();
      String leader = profile.orderers().stream().filter(o -> o.consenterId() == id)
          .map(NetworkProfile.NodeEntry::name).findFirst().orElse("consenter " + id);
      sb.append(sb.length() == 0 ? "" : ", ").append(ch).append(": ").append(leader);
      progress.line(ch + ": leader " + leader + " (consenter " + id + ")");
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    return StepOutcome.of(status, ms > 1500, sb.toString());
  }
}
