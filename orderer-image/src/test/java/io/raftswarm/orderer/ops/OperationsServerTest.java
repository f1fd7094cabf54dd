package io.raftswarm.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OperationsServerTest {
  private final OrdererMetrics metrics = new OrdererMetrics();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(OperationsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metrics_carry_fabrics_etcdraft_names_without_a_total_suffix() throws Exception {
    metrics.leaderChanges.labelValues("mychannel").inc();
    metrics.leaderChanges.labelValues("mychannel").inc();
    metrics.isLeader.labelValues("mychannel").set(1);
    metrics.committedBlockNumber.labelValues("mychannel").set(5);
    metrics.proposalFailures.labelValues("mychannel").inc();
    try (OperationsServer server = new OperationsServer("127.0.0.1", 0, metrics, List::of, () -> "{}")) {
      String body = get(server, "/metrics").body();
      assertThat(body).contains("consensus_etcdraft_leader_changes{channel=\"mychannel\"} 2.0",
          "consensus_etcdraft_is_leader{channel=\"mychannel\"} 1.0",
          "consensus_etcdraft_committed_block_number{channel=\"mychannel\"} 5.0",
          "consensus_etcdraft_proposal_failures{channel=\"mychannel\"} 1.0");
      assertThat(body).doesNotContain("_total");
    }
  }

  @Test
  void healthz_answers_503_with_the_reasons_when_unhealthy() throws Exception {
    AtomicReference<List<String>> problems = new AtomicReference<>(List.of());
    try (OperationsServer server = new OperationsServer("127.0.0.1", 0, metrics, problems::get, () -> "{}")) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      problems.set(List.of("channel mychannel has no Raft leader"));
      HttpResponse<String> unhealthy = get(server, "/healthz");
      assertThat(unhealthy.statusCode()).isEqualTo(503);
      assertThat(unhealthy.body()).contains("Service Unavailable", "channel mychannel has no Raft leader");
    }
  }
}
