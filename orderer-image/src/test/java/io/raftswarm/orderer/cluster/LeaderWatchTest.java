package io.raftswarm.orderer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.unix.Errors;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.common.tls.GrpcServers;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's watch on its leader over real TLS gRPC: it keeps sending on {@code LeaderLink} so a
 * cut-off host can go unacknowledged, tells a kernel timeout from a closed connection, and watches
 * an orderer built before {@code LeaderLink} with {@code LeaderWatch}. (A real unacknowledged
 * connection needs packets dropped in a network namespace: the lab's blackhole-leader drill.)
 */
class LeaderWatchTest {
  private static final Struct HELLO = Struct.newBuilder().putFields("node", ClusterService.string("leader")).build();

  @TempDir
  static Path dir;
  private static LocalNetworkFixture fixture;
  private static ScheduledExecutorService scheduler;

  record Lost(String channel, String endpoint, Status status, LeaderWatch.Break how) {}

  @BeforeAll
  static void network() {
    // the native transport must be loaded before Errors is first used (as LeaderWatch's constructor does)
    Epoll.ensureAvailability();
    fixture = LocalNetworkFixture.create(dir, 2, 0, List.of("mychannel"));
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void a_kernel_timeout_is_told_apart_from_a_closed_connection() {
    var timedOut = new Errors.NativeIoException("readAddress(..) failed: Connection timed out", -110);
    var reset = new Errors.NativeIoException("readAddress(..) failed: Connection reset by peer", -104);
    assertThat(LeaderWatch.unacknowledged(Status.UNAVAILABLE.withCause(timedOut))).isTrue();
    assertThat(LeaderWatch.unacknowledged(Status.UNAVAILABLE.withCause(new IOException("wrapped", timedOut)))).isTrue();
    assertThat(LeaderWatch.unacknowledged(Status.UNAVAILABLE.withCause(reset))).isFalse();
    assertThat(LeaderWatch.unacknowledged(Status.UNAVAILABLE.withDescription("io exception"))).isFalse();
  }

  @Test
  void the_follower_keeps_sending_on_the_link_and_a_closed_connection_is_a_loss() throws Exception {
    AtomicInteger pings = new AtomicInteger();
    ServerServiceDefinition link = ServerServiceDefinition.builder(ClusterService.SERVICE)
        .addMethod(ClusterService.LEADER_LINK, ServerCalls.asyncBidiStreamingCall(response -> new StreamObserver<Struct>() {
          private boolean first = true;

          @Override
          public void onNext(Struct request) {
            if (first) {
              first = false;
              assertThat(request.getFieldsOrThrow("channel").getStringValue()).isEqualTo("mychannel");
              response.onNext(HELLO);
            } else {
              pings.incrementAndGet();
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }))
        .build();
    Server leader = serve(link);
    List<Lost> lost = new CopyOnWriteArrayList<>();
    try (LeaderWatch watch = watch(lost)) {
      watch.watch("mychannel", Optional.of("127.0.0.1:" + leader.getPort()));

      // one ping per 100 ms once the leader said hello
      await().atMost(Duration.ofSeconds(20)).until(() -> pings.get() >= 5);
      assertThat(lost).isEmpty();

      leader.shutdownNow();
      await().atMost(Duration.ofSeconds(10)).until(() -> !lost.isEmpty());
      assertThat(lost.get(0).how()).isEqualTo(LeaderWatch.Break.CLOSED);
      assertThat(lost.get(0).channel()).isEqualTo("mychannel");
    } finally {
      leader.shutdownNow();
    }
  }

  @Test
  void an_orderer_without_LeaderLink_is_watched_with_LeaderWatch() throws Exception {
    AtomicInteger watchers = new AtomicInteger();
    ServerServiceDefinition legacy = ServerServiceDefinition.builder(ClusterService.SERVICE)
        .addMethod(ClusterService.LEADER_WATCH, ServerCalls.asyncServerStreamingCall((request, response) -> {
          watchers.incrementAndGet();
          response.onNext(HELLO);
        }))
        .build();
    Server leader = serve(legacy);
    List<Lost> lost = new CopyOnWriteArrayList<>();
    try (LeaderWatch watch = watch(lost)) {
      watch.watch("mychannel", Optional.of("127.0.0.1:" + leader.getPort()));

      await().atMost(Duration.ofSeconds(20)).until(() -> watchers.get() == 1);
      Thread.sleep(500);
      assertThat(lost).as("UNIMPLEMENTED before the hello is no loss").isEmpty();

      leader.shutdownNow();
      await().atMost(Duration.ofSeconds(10)).until(() -> !lost.isEmpty());
      assertThat(lost.get(0).how()).isEqualTo(LeaderWatch.Break.CLOSED);
    } finally {
      leader.shutdownNow();
    }
  }

  private static Server serve(ServerServiceDefinition service) throws IOException {
    TlsMaterial tls = fixture.ordererTls(1);
    return GrpcServers.builder(new InetSocketAddress("127.0.0.1", 0), TlsContexts.serverRequiringClientAuth(tls))
        .addService(service).build().start();
  }

  private static LeaderWatch watch(List<Lost> lost) {
    return new LeaderWatch(fixture.ordererTls(2), Duration.ofMillis(300), scheduler,
        (channel, endpoint, status, how) -> lost.add(new Lost(channel, endpoint, status, how)));
  }
}
