package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.network.NetworkProfile.NodeEntry;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** NetworkStatus against fake operations endpoints on 127.0.0.1 serving /status JSON. */
@Timeout(30)
class NetworkStatusTest {
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private String serve(AtomicReference<String> body) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/status", ex -> {
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    s.start();
    servers.add(s);
    return "127.0.0.1:" + s.getAddress().getPort();
  }

  private static String orderer(String node, int id, String role, int leader, int height, String hash) {
    return "{\"node\":\"" + node + "\",\"channels\":[{\"channel\":\"mychannel\",\"consenterId\":" + id
        + ",\"role\":\"" + role + "\",\"leaderId\":" + leader + ",\"term\":2,\"height\":" + height
        + ",\"lastBlockHash\":\"" + hash + "\",\"raftIndex\":9}]}";
  }

  private static String peer(String node, int height, String hash) {
    return "{\"node\":\"" + node + "\",\"channels\":[{\"channel\":\"mychannel\",\"height\":" + height
        + ",\"lastBlockHash\":\"" + hash + "\",\"stateHash\":\"s\",\"orderer\":\"o\"}]}";
  }

  private static NodeEntry node(String name, String kind, String host, String ops, int id) {
    return new NodeEntry(name, kind, "Org", "OrgMSP", host, name + ":7050", ops, ops, "/ca.pem", id);
  }

  @Test
  void agreement_leader_and_disagreement_are_reported_per_channel() throws Exception {
    var o1 = new AtomicReference<>(orderer("orderer.example.com", 1, "FOLLOWER", 2, 5, "aa"));
    var o2 = new AtomicReference<>(orderer("orderer2.example.com", 2, "LEADER", 2, 5, "aa"));
    var p1 = new AtomicReference<>(peer("peer0.org1.example.com", 5, "aa"));
    List<NodeEntry> nodes = List.of(
        node("orderer.example.com", "orderer", "host1", serve(o1), 1),
        node("orderer2.example.com", "orderer", "host2", serve(o2), 2),
        node("peer0.org1.example.com", "peer", "host1", serve(p1), 0),
        node("peer1.org1.example.com", "peer", "host2", "127.0.0.1:1", 0));
    NetworkProfile profile = new NetworkProfile("first-network", "example.com", "/crypto",
        List.of("mychannel"), List.of(), nodes.subList(0, 3), List.of());
    OperationsClient ops = new OperationsClient();

    NetworkStatus ok = NetworkStatus.query(profile, ops);
    assertThat(ok.healthy()).isTrue();
    assertThat(ok.channels().get(0).leader()).isEqualTo("orderer2.example.com");
    assertThat(ok.channels().get(0).term()).isEqualTo(2L);

    p1.set(peer("peer0.org1.example.com", 4, "bb"));
    NetworkStatus lagging = NetworkStatus.query(profile, ops);
    assertThat(lagging.channels().get(0).allAgree()).isFalse();
    assertThat(lagging.healthy()).isFalse();
    // a peer one block behind while the network orders: consistent, and the table says so
    assertThat(lagging.consistent()).isTrue();
    StringWriter laggingTable = new StringWriter();
    lagging.printTable(new PrintWriter(laggingTable));
    assertThat(laggingTable.toString()).contains("ordering: nodes at heights 4..5, none disagrees");
    // two nodes with different blocks at the same height: a fork, never consistent
    p1.set(peer("peer0.org1.example.com", 5, "cc"));
    assertThat(NetworkStatus.query(profile, ops).consistent()).isFalse();
    p1.set(peer("peer0.org1.example.com", 4, "bb"));

    o1.set(orderer("orderer.example.com", 1, "LEADER", 1, 5, "aa"));
    assertThat(NetworkStatus.query(profile, ops).channels().get(0).leader()).isNull();

    NetworkProfile withDeadPeer = new NetworkProfile("first-network", "example.com", "/crypto",
        List.of("mychannel"), List.of(), nodes, List.of());
    NetworkStatus dead = NetworkStatus.query(withDeadPeer, ops);
    assertThat(dead.channels().get(0).nodes().get(3).reachable()).isFalse();
    StringWriter table = new StringWriter();
    dead.printTable(new PrintWriter(table));
    assertThat(table.toString()).contains("peer1.org1.example.com", "UNREACHABLE", "NODES DISAGREE");
    assertThat(dead.consistent()).isFalse();
  }

  @Test
  void the_table_names_the_leaders_host_and_notes_a_leader_off_the_host_running_most_orderers() throws Exception {
    var o1 = new AtomicReference<>(orderer("orderer.example.com", 1, "FOLLOWER", 3, 5, "aa"));
    var o2 = new AtomicReference<>(orderer("orderer2.example.com", 2, "FOLLOWER", 3, 5, "aa"));
    var o3 = new AtomicReference<>(orderer("orderer3.example.com", 3, "LEADER", 3, 5, "aa"));
    NetworkProfile profile = new NetworkProfile("first-network", "example.com", "/crypto", List.of("mychannel"), List.of(),
        List.of(node("orderer.example.com", "orderer", "host1", serve(o1), 1),
            node("orderer2.example.com", "orderer", "host1", serve(o2), 2),
            node("orderer3.example.com", "orderer", "host2", serve(o3), 3)), List.of());
    OperationsClient ops = new OperationsClient();

    NetworkStatus elsewhere = NetworkStatus.query(profile, ops);
    assertThat(elsewhere.channels().get(0).leaderHost()).isEqualTo("host2");
    assertThat(elsewhere.channels().get(0).preferredHost()).isEqualTo("host1");
    StringWriter table = new StringWriter();
    elsewhere.printTable(new PrintWriter(table));
    assertThat(table.toString()).contains("leader orderer3.example.com on host2 (term 2)", "note: host1 runs most");

    o1.set(orderer("orderer.example.com", 1, "LEADER", 1, 5, "aa"));
    o2.set(orderer("orderer2.example.com", 2, "FOLLOWER", 1, 5, "aa"));
    o3.set(orderer("orderer3.example.com", 3, "FOLLOWER", 1, 5, "aa"));
    StringWriter placed = new StringWriter();
    NetworkStatus.query(profile, ops).printTable(new PrintWriter(placed));
    assertThat(placed.toString()).contains("leader orderer.example.com on host1 (term 2)").doesNotContain("note:");
  }
}
