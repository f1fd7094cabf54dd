package io.raftswarm.peer.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.raftswarm.common.status.PeerStatus;
import io.raftswarm.common.status.StatusJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operations endpoint, as Fabric's: {@code GET /healthz} (200 {"status":"OK"}),
 * {@code /metrics} (Prometheus text), {@code /status} (the supplier's {@link PeerStatus}). Plain HTTP on
 * its own port; two worker threads.
 */
public final class OperationsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor;

  public OperationsServer(InetSocketAddress address, PrometheusRegistry registry, Supplier<PeerStatus> status) throws IOException {
    server = HttpServer.create(address, 16);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "operations");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    server.createContext("/healthz", ex -> respond(ex, 200, "application/json",
        JSON.writeValueAsBytes(Map.of("status", "OK", "time", Instant.now().toString()))));
    server.createContext("/metrics", ex -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writer.write(out, registry.scrape());
      respond(ex, 200, writer.getContentType(), out.toByteArray());
    });
    server.createContext("/status", ex -> respond(ex, 200, "application/json", StatusJson.write(status.get()).getBytes(StandardCharsets.UTF_8)));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(code, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (RuntimeException e) {
      byte[] msg = e.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(500, msg.length);
      exchange.getResponseBody().write(msg);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
