package io.raftswarm.orderer.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operations endpoint (plain HTTP, like Fabric's default): {@code /healthz} (200, or 503 with
 * the failed checks as JSON), {@code /metrics} (Prometheus text format) and {@code /status}
 * (the JSON in docs/CONTRACTS.md).
 */
public final class OperationsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  public OperationsServer(String host, int port, OrdererMetrics metrics, Supplier<List<String>> healthProblems,
      Supplier<String> statusJson) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "operations-" + port);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", exchange -> {
      List<String> problems = healthProblems.get();
      if (problems.isEmpty()) {
        respond(exchange, 200, "application/json", "{\"status\":\"OK\"}");
      } else {
        StringBuilder json = new StringBuilder("{\"status\":\"Service Unavailable\",\"failed_checks\":[");
        for (int i = 0; i < problems.size(); i++) {
          json.append(i == 0 ? "" : ",").append("{\"component\":\"orderer\",\"reason\":\"")
              .append(Json.escape(problems.get(i))).append("\"}");
        }
        respond(exchange, 503, "application/json", json.append("]}").toString());
      }
    });
    server.createContext("/metrics", exchange -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
      respond(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toString(StandardCharsets.UTF_8));
    });
    server.createContext("/status", exchange -> respond(exchange, 200, "application/json", statusJson.get()));
    server.start();
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
