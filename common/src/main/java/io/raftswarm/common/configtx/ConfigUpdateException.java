package io.raftswarm.common.configtx;

/** A config update that cannot be applied; the message says what and where, as Fabric's configtx errors do. */
public final class ConfigUpdateException extends Exception {
  public ConfigUpdateException(String message) {
    super(message);
  }
}
