package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftswarm.orderer.bench.OrdererClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader stopped gracefully (SIGTERM, docker stop) hands its leadership to a follower after
 * committing what it holds: clients of the other orderers see no refused transaction.
 */
class LeaderHandOffTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void when_the_leader_stops_gracefully_then_no_client_of_the_others_sees_a_refusal() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1024)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      int leader = cluster.agreedLeader(CH);
      List<Integer> others = new ArrayList<>();
      for (int id = 1; id <= 3; id++) {
        if (id != leader) {
          others.add(id);
        }
      }
      List<BroadcastResponse> responses = new CopyOnWriteArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> senders = new ArrayList<>();
      for (int id : others) {
        Thread t = new Thread(() -> {
          try (OrdererClient client = cluster.client(id)) {
            while (running.get()) {
              List<Envelope> txs = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                txs.add(cluster.tx(CH, 1024));
              }
              responses.addAll(client.broadcast(txs, 30));
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        t.start();
        senders.add(t);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> responses.size() >= 100);
      cluster.stop(leader);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      int before = responses.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> responses.size() >= before + 100);
      running.set(false);
      for (Thread t : senders) {
        t.join();
      }
      assertThat(responses).extracting(r -> r.getStatus() + " " + r.getInfo())
          .allMatch(s -> s.startsWith("SUCCESS"));
    }
  }
}
