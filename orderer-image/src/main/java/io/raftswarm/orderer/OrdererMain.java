package io.raftswarm.orderer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.raftswarm.orderer.config.ConfigException;
import io.raftswarm.orderer.config.OrdererConfig;
import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java io.raftswarm.orderer.OrdererMain}: configuration from orderer.yaml and ORDERER_* variables. */
public final class OrdererMain {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.server");

  private OrdererMain() {}

  /** Hand-off (≤ 2 s) + Broadcast drain (0.5 s) + some of Ratis' close; docker stop allows 10 s. */
  private static final java.time.Duration SHUTDOWN_BUDGET = java.time.Duration.ofSeconds(4);

  public static void main(String[] args) throws Exception {
    applyLoggingSpec(System.getenv("FABRIC_LOGGING_SPEC"));
    OrdererConfig config;
    try {
      config = OrdererConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      LOG.error("Invalid orderer configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Orderer orderer = Orderer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping orderer {}", orderer.name());
      // The hand-off (if leading) and the Broadcast drain are what a graceful stop is for. Ratis'
      // own close then waits up to 3 s per peer connection with open streams; every block and WAL
      // entry is already fsynced, so the process may end without waiting for it (as after kill -9)
      // rather than be SIGKILLed at docker stop's 10 s with the same result.
      Thread closing = new Thread(orderer::close, "close");
      closing.setDaemon(true);
      closing.start();
      try {
        closing.join(SHUTDOWN_BUDGET.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (closing.isAlive()) {
        LOG.info("Stopped orderer {} without waiting for Raft's connections to close", orderer.name());
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  /**
   * Fabric's FABRIC_LOGGING_SPEC: {@code INFO}, or {@code logger=level:logger2=level:DEFAULT}
   * (e.g. {@code orderer.consensus.etcdraft=debug:info}).
   */
  public static void applyLoggingSpec(String spec) {
    if (spec == null || spec.isBlank() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (String part : spec.trim().split(":")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level(part, spec));
      } else {
        Level level = level(part.substring(eq + 1), spec);
        for (String name : part.substring(0, eq).split(",")) {
          context.getLogger(name.trim()).setLevel(level);
        }
      }
    }
  }

  private static Level level(String name, String spec) {
    String n = name.trim().toUpperCase(java.util.Locale.ROOT);
    if (n.equals("WARNING")) {
      n = "WARN";
    }
    if (n.equals("FATAL") || n.equals("PANIC")) {
      n = "ERROR";
    }
    Level level = Level.toLevel(n, null);
    if (level == null) {
      throw new ConfigException("FABRIC_LOGGING_SPEC: unknown level '" + name + "' in '" + spec
          + "' (use debug, info, warning or error)");
    }
    return level;
  }
}
