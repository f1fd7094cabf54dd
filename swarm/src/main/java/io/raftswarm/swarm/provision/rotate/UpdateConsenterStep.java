package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Config;

/**
 * For every channel the orderer is a consenter of, a config update that records its new TLS
 * certificate as the consenter's client and server certificate, signed by the orderer org's
 * admin (/Channel/Orderer/Admins) and broadcast through the other orderers: Fabric's way to
 * re-certify a consenter. A channel whose config already holds the certificate is left alone,
 * so a re-run after an interruption does not update twice. Returns the channels it is a
 * consenter of.
 */
final class UpdateConsenterStep implements ProvisionStep<List<String>> {
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
  public StepOutcome<List<String>> run(Progress progress) {
    byte[] cert = Pem.encode(renewed.tls()).getBytes(StandardCharsets.US_ASCII);
    String via = via(ctx.profile(), target.node());
    List<String> consenterOf = new ArrayList<>();
    int updated = 0;
    for (String channel : ctx.profile().channels()) {
      Config current = ctx.fabric().fetchConfig(channel, via, ctx.settings().timeout());
      if (ConsenterCertificates.find(current, target.name()).isEmpty()) {
        progress.line(channel + ": " + target.name() + " is not a consenter");
        continue;
      }
      consenterOf.add(channel);
      if (ConsenterCertificates.holds(current, target.name(), cert)) {
        progress.line(channel + ": the config already holds the new certificate (sequence " + current.getSequence() + ")");
        continue;
      }
      String used = ctx.fabric().updateConfig(channel, current, ConsenterCertificates.withCertificate(current, target.name(), cert),
          ctx.admin(), via, ctx.settings().timeout());
      updated++;
      progress.line(channel + ": consenter certificate updated through " + used + " (config sequence "
          + current.getSequence() + " -> " + (current.getSequence() + 1) + ")");
    }
    return StepOutcome.of(consenterOf, updated > 0, updated + " of " + consenterOf.size() + " channel config(s) updated");
  }

  /** The orderer to read from and submit through first: not the one about to restart (the others are tried after it). */
  static String via(NetworkProfile profile, NetworkProfile.NodeEntry target) {
    return profile.orderers().stream().map(NetworkProfile.NodeEntry::name).filter(n -> !n.equals(target.name()))
        .findFirst().orElse(target.name());
  }
}
