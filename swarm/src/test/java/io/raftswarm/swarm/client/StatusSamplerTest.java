package io.raftswarm.swarm.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusSamplerTest {
  private final CountDownLatch thaw = new CountDownLatch(1);
  private final AtomicInteger frozenRequests = new AtomicInteger();
  private HttpServer server;

  /** "live" answers at once; "frozen" accepts the request and never answers (a paused container). */
  private int serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/live/status", x -> {
      byte[] body = "{\"node\":\"live\",\"channels\":[]}".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.createContext("/frozen/status", x -> {
      frozenRequests.incrementAndGet();
      try {
        thaw.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      x.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    thaw.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void a_frozen_orderer_does_not_hold_back_the_samples_of_the_others() throws Exception {
    int port = serve();
    String base = "127.0.0.1:" + port;
    // the operations endpoint is host:port; the node's path prefix stands in for distinct hosts
    // a poll timeout far beyond the test: rounds that waited for the frozen one would sample
    // the live one once per 5 s
    StatusSampler sampler = new StatusSampler(Map.of("live", base + "/live", "frozen", base + "/frozen"),
        Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(1), Clock.systemUTC());
    try {
      sampler.start();
      Awaitility.await("5 samples of the live orderer while the frozen one does not answer")
          .atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(50))
          .until(() -> sampler.samples().stream().filter(s -> s.node().equals("live") && s.reachable()).count() >= 5);

      assertThat(sampler.samples()).noneMatch(s -> s.node().equals("frozen")); // still outstanding
      assertThat(frozenRequests.get()).as("requests to the frozen orderer").isEqualTo(1);
    } finally {
      sampler.close();
    }
  }
}
