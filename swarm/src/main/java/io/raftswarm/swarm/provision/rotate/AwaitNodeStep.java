package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.common.status.PeerChannelStatus;
import io.raftswarm.common.status.PeerStatus;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import io.raftswarm.swarm.remote.ExitedContainers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits until the restarted node is back: {@code /healthz} answers, it serves its new TLS
 * certificate, and its ledger holds every block the orderers had when it became healthy — an
 * orderer as a LEADER or FOLLOWER that knows the leader of every channel (so it found itself among
 * the consenters by its new certificate), a peer on every channel the orderers serve. Fails at once when its container
 * exits, with its last log lines.
 */
final class AwaitNodeStep implements ProvisionStep<Void> {
  private final RotationContext ctx;
  private final RotationTarget target;
  private final NodeMaterial renewed;

  AwaitNodeStep(RotationContext ctx, RotationTarget target, NodeMaterial renewed) {
    this.ctx = ctx;
    this.target = target;
    this.renewed = renewed;
  }

  @Override
  public String name() {
    return "AwaitNode " + target.label();
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
    NetworkProfile.NodeEntry node = target.node();
    long started = System.nanoTime();
    Duration timeout = ctx.settings().timeout();
    Wait wait = Wait.upTo(timeout, Duration.ofMillis(500));
    wait.untilOrThrow(() -> ctx.ops().healthy(node.operationsEndpoint())
            && ctx.servedCertificate(node).filter(renewed.tls()::equals).isPresent(),
        ok -> ok, ok -> failIfExited(),
        ok -> new UserError(node.name() + " is not healthy with its new certificate after " + timeout.toSeconds()
            + " s (http://" + node.operationsEndpoint() + "/healthz, TLS on " + node.externalEndpoint() + "); look at"
            + " 'docker logs " + node.name() + "' on " + node.host() + ", then run rotate-certs again"));
    Map<String, Long> wanted = orderersHeights();
    List<String> behind = wait.untilOrThrow(() -> behind(wanted), List::isEmpty, b -> failIfExited(),
        b -> new UserError(node.name() + " has not caught up within " + timeout.toSeconds() + " s: " + b
            + "; look at its logs ('docker logs " + node.name() + "' on " + node.host() + ")"));
    return StepOutcome.done(null, node.name() + " healthy with its new certificate, caught up at " + wanted + " after "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  /** The highest height of each channel among the orderers other than the target, now. */
  private Map<String, Long> orderersHeights() {
    Map<String, Long> heights = new java.util.TreeMap<>();
    ctx.ordererStatuses().forEach((name, status) -> {
      if (!name.equals(target.name())) {
        status.ifPresent(s -> s.channels().forEach(c -> heights.merge(c.channel(), c.height(), Math::max)));
      }
    });
    return heights;
  }

  /** What the node still lacks of {@code wanted}, one entry per channel: empty when it is caught up. */
  private List<String> behind(Map<String, Long> wanted) {
    List<String> behind = new ArrayList<>();
    NetworkProfile.NodeEntry node = target.node();
    if (node.isOrderer()) {
      Optional<OrdererStatus> s = ctx.ops().ordererStatus(node.operationsEndpoint());
      wanted.forEach((channel, height) -> {
        Optional<OrdererChannelStatus> c = s.flatMap(x -> x.channel(channel));
        if (c.isEmpty() || !(c.get().isLeader() || "FOLLOWER".equalsIgnoreCase(c.get().role())) || c.get().leaderId() == 0
            || c.get().height() < height) {
          behind.add(channel + " at " + c.map(x -> x.role() + " (leader " + x.leaderId() + ") height " + x.height()).orElse("no status")
              + ", orderers at " + height);
        }
      });
    } else {
      Optional<PeerStatus> s = ctx.ops().peerStatus(node.operationsEndpoint());
      wanted.forEach((channel, height) -> {
        Optional<PeerChannelStatus> c = s.flatMap(x -> x.channel(channel));
        if (c.isEmpty() || c.get().height() < height) {
          behind.add(channel + " at " + c.map(x -> "height " + x.height()).orElse("not joined") + ", orderers at " + height);
        }
      });
    }
    return behind;
  }

  private void failIfExited() {
    String host = target.node().host();
    ctx.sessions().with(host, s -> ExitedContainers.first(s.docker().client(),
        Labels.ofNode(ctx.profile().name(), ctx.profile().runId(), target.name()), host))
        .ifPresent(exited -> {
          throw new UserError(exited + "\n  its previous files are in " + target.remote() + "/.rotate-old on "
              + host + "; fix the cause and run rotate-certs again");
        });
  }
}
