package io.raftswarm.orderer.config;

/** A configuration value is missing or invalid; the message names the variable and how to fix it. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
