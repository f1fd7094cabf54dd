package io.raftswarm.swarm.provision.rotate;

import java.time.Duration;
import java.util.Objects;

/**
 * How to rotate.
 *
 * @param newKey issue the certificates for new key pairs instead of the nodes' current keys
 * @param validity how long the new certificates are valid (never past their CA's expiry)
 * @param timeout how long each wait may take: the config update applied on every orderer, the
 *     restarted node healthy, its ledger caught up
 */
public record RotationSettings(boolean newKey, Duration validity, Duration timeout) {
  public RotationSettings {
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(timeout, "timeout");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, was " + validity);
    }
  }
}
