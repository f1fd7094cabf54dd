package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.provision.rotate.RotationSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How to rotate: options shared by {@code rotate-certs} and {@code drill rotate-certs}. */
final class RotationOptions {
  @Option(names = "--new-key",
      description = "Issue the certificates for new key pairs (TLS and enrollment) instead of the nodes' current keys")
  boolean newKey;

  @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
      description = "Validity of the new certificates in days, never past their CA's expiry (default: ${DEFAULT-VALUE},"
          + " as render issues them)")
  int days;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long each wait may take: the config update in force on every orderer, the restarted node"
          + " healthy, its ledger caught up (default: ${DEFAULT-VALUE})")
  int waitSeconds;

  RotationSettings settings() {
    if (days < 1 || days > 36_500) {
      throw new UserError("--days must be 1..36500, got " + days);
    }
    if (waitSeconds < 5 || waitSeconds > 3600) {
      throw new UserError("--wait must be 5..3600 seconds, got " + waitSeconds);
    }
    return new RotationSettings(newKey, Duration.ofDays(days), Duration.ofSeconds(waitSeconds));
  }
}
