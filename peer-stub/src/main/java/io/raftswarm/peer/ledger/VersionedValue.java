package io.raftswarm.peer.ledger;

import java.util.Objects;

/** A committed value and the version that wrote it. The array is never modified after construction. */
public record VersionedValue(byte[] value, Version version) {
  public VersionedValue {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
  }
}
