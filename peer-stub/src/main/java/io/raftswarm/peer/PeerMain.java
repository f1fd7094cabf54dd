package io.raftswarm.peer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer container's entry point: configuration from CORE_PEER_* / CORE_OPERATIONS_*
 * environment variables, log level from FABRIC_LOGGING_SPEC (e.g. INFO, DEBUG; per-logger
 * specs like "committer=debug:info" take the last plain level). Runs until SIGTERM.
 */
public final class PeerMain {
  private PeerMain() {}

  public static void main(String[] args) throws Exception {
    applyLoggingSpec(System.getenv().getOrDefault("FABRIC_LOGGING_SPEC", "INFO"));
    Logger log = LoggerFactory.getLogger("peer");
    PeerConfig config;
    try {
      config = PeerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("Cannot start the peer: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Peer peer = Peer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      peer.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  public static void applyLoggingSpec(String spec) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (String part : spec.split(":")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level(p));
      } else {
        Level level = level(p.substring(eq + 1));
        for (String name : p.substring(0, eq).split(",")) {
          context.getLogger(name.trim()).setLevel(level);
        }
      }
    }
  }

  private static Level level(String fabricLevel) {
    return switch (fabricLevel.trim().toUpperCase(Locale.ROOT)) {
      case "WARNING" -> Level.WARN;
      case "FATAL", "PANIC", "CRITICAL" -> Level.ERROR;
      default -> Level.toLevel(fabricLevel.trim(), Level.INFO);
    };
  }
}
