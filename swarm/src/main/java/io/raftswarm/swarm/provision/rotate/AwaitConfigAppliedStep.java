package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Waits until every orderer that answers has applied the consenter's new certificate on every
 * channel: the config in force that each one serves over Deliver holds it. The orderer being
 * rotated must be among them: once restarted with its new certificate it finds itself among the
 * consenters only through that config. An orderer that does not answer at all is left to catch
 * up later (the restart safety check made sure a majority answers).
 */
final class AwaitConfigAppliedStep implements ProvisionStep<Void> {
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  private final RotationContext ctx;
  private final RotationTarget target;
  private final NodeMaterial renewed;
  private final List<String> channels;

  AwaitConfigAppliedStep(RotationContext ctx, RotationTarget target, NodeMaterial renewed, List<String> channels) {
    this.ctx = ctx;
    this.target = target;
    this.renewed = renewed;
    this.channels = List.copyOf(channels);
  }

  @Override
  public String name() {
    return "AwaitConfigApplied " + target.label();
  }

  /** Per orderer: "applied", "not yet" or "unreachable". */
  private Map<String, String> poll(String channel, byte[] cert) {
    Map<String, String> state = new TreeMap<>();
    for (NetworkProfile.NodeEntry o : ctx.profile().orderers()) {
      try {
        boolean holds = ConsenterCertificates.holds(channel, ctx.fabric().fetchConfig(channel, o.name(), FETCH_TIMEOUT), target.name(),
            cert);
        state.put(o.name(), holds ? "applied" : "not yet");
      } catch (FabricClientException e) {
        state.put(o.name(), e.failure() == FabricClientException.Failure.ORDERER_UNREACHABLE ? "unreachable" : "not yet");
      }
    }
    return state;
  }

  private boolean done(Map<String, String> state) {
    return !state.containsValue("not yet") && "applied".equals(state.get(target.name()));
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
    byte[] cert = Pem.encode(renewed.tls()).getBytes(StandardCharsets.US_ASCII);
    StringBuilder detail = new StringBuilder();
    for (String channel : channels) {
      Map<String, String> last = Wait.upTo(ctx.settings().timeout(), Duration.ofMillis(500)).untilOrThrow(
          () -> poll(channel, cert), this::done, s -> { },
          s -> new UserError("the new certificate of " + target.name() + " is not in force on every orderer of " + channel
              + " after " + ctx.settings().timeout().toSeconds() + " s: " + s + "; look at the orderers' logs, then run"
              + " rotate-certs again (it continues from here)"));
      long applied = last.values().stream().filter("applied"::equals).count();
      progress.line(channel + ": in force on " + applied + " of " + last.size() + " orderers"
          + (applied < last.size() ? " (unreachable: " + last.entrySet().stream().filter(e -> !e.getValue().equals("applied"))
              .map(Map.Entry::getKey).toList() + ")" : ""));
      detail.append(detail.length() == 0 ? "" : "; ").append(channel).append(" ").append(applied).append("/").append(last.size());
    }
    return StepOutcome.unchanged(null, "applied: " + detail);
  }
}
