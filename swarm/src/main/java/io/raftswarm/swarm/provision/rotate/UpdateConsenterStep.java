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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Config;

/**
 * For every channel the orderer is a consenter of, a config update that records its new TLS
 * certificate as the consenter's client and server certificate, signed by the orderer org's
 * admin (/Channel/Orderer/Admins) and broadcast through another orderer: Fabric's way to
 * re-certify a consenter. A channel whose config already holds the certificate is left alone,
 * so a re-run after an interruption does not update twice. Returns the channels it is a
 * consenter of.
 */
final class UpdateConsenterStep implements ProvisionStep<List<String>> {
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  private final RotationContext ctx;
  private final RotationTarget target;
  private final NodeMaterial renewed;

  UpdateConsenterStep(RotationContext ctx, RotationTarget target, NodeMaterial renewed) {
    this.ctx = ctx;
    this.target = target;
    this.renewed = renewed;
  }

  @Override
  public String name() {
    return "UpdateChannelConfig " + target.label();
  }

  @Override
  public StepOutcome<List<String>> run(Progress progress) throws InterruptedException {
    byte[] cert = Pem.encode(renewed.tls()).getBytes(StandardCharsets.US_ASCII);
    List<String> consenterOf = new ArrayList<>();
    int updated = 0;
    for (String channel : ctx.profile().channels()) {
      Fetched current = fetch(channel);
      if (ConsenterCertificates.find(channel, current.config(), target.name()).isEmpty()) {
        progress.line(channel + ": " + target.name() + " is not a consenter");
        continue;
      }
      consenterOf.add(channel);
      long sequence = current.config().getSequence();
      if (ConsenterCertificates.holds(channel, current.config(), target.name(), cert)) {
        progress.line(channel + ": the config already holds the new certificate (sequence " + sequence + ")");
        continue;
      }
      String used;
      try {
        used = ctx.fabric().updateConfig(channel, current.config(),
            ConsenterCertificates.withCertificate(channel, current.config(), target.name(), cert), ctx.admin(), current.from(),
            ctx.settings().timeout());
      } catch (FabricClientException e) {
        throw new UserError("the config update of " + channel + " failed: " + e.getMessage()
            + "; run the same command again (it fetches the config anew)", e);
      }
      updated++;
      progress.line(channel + ": consenter certificate updated through " + used + " (config sequence "
          + sequence + " -> " + (sequence + 1) + ")");
    }
    return StepOutcome.of(consenterOf, updated > 0, updated + " of " + consenterOf.size() + " channel config(s) updated");
  }

  /** A channel's config in force and the orderer it came from. */
  private record Fetched(Config config, String from) {}

  /**
   * The config in force from the first orderer that serves it, the one being rotated last: an
   * orderer that does not know a leader right now (say, one restarted a moment ago) answers
   * Deliver with SERVICE_UNAVAILABLE, so the others are asked, for up to the wait.
   */
  private Fetched fetch(String channel) throws InterruptedException {
    List<String> order = new ArrayList<>(ctx.profile().orderers().stream().map(NetworkProfile.NodeEntry::name)
        .filter(n -> !n.equals(target.name())).toList());
    order.add(target.name());
    List<String> errors = new ArrayList<>();
    Optional<Fetched> fetched = Wait.upTo(ctx.settings().timeout(), Duration.ofMillis(500)).until(() -> {
      errors.clear();
      for (String orderer : order) {
        try {
          return Optional.of(new Fetched(ctx.fabric().fetchConfig(channel, orderer, FETCH_TIMEOUT), orderer));
        } catch (FabricClientException e) {
          errors.add(orderer + ": " + e.getMessage());
        }
      }
      return Optional.<Fetched>empty();
    }, Optional::isPresent);
    return fetched.orElseThrow(() -> new UserError("no orderer served the config of " + channel + " within "
        + ctx.settings().timeout().toSeconds() + " s: " + String.join("; ", errors) + "; check raftswarm status, then run"
        + " the same command again"));
  }
}
