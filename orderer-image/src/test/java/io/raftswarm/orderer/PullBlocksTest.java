package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.chain.ConsenterIds;
import io.raftswarm.orderer.cluster.ClusterBlockPuller;
import io.raftswarm.orderer.cluster.ClusterService;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.raft.ConsistentCut;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster service's PullBlocks, through which a lagging or joining orderer copies blocks as
 * the source stores them: a consenter gets the chain exactly, anyone else is refused.
 */
class PullBlocksTest {
  private static final String CH = "mychannel";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_consenter_copies_the_chain_up_to_the_cut_and_a_client_certificate_is_refused() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1_000_000)) {
      cluster.startAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agreedLeader(CH) > 0);
      cluster.sendAll(CH, cluster.agreedLeader(CH), 60);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.height(1, CH) == cluster.height(2, CH)
          && cluster.height(2, CH) == cluster.height(3, CH));
      var config = cluster.fixture.channelConfig(CH);

      try (ClusterBlockPuller puller = new ClusterBlockPuller(() -> config, ConsenterIds.peerId(config.consenters().get(2)),
          cluster.fixture.ordererTls(3));
          BlockStore copy = BlockStore.open(dir.resolve("copy"))) {
        ConsistentCut cut = puller.pull(null, -1, copy);

        assertThat(cut.height()).isGreaterThan(10);
        assertThat(copy.height()).isEqualTo(cut.height());
        assertThat(copy.lastHeaderHash()).isEqualTo(cut.lastHash());
        List<String> copied = new ArrayList<>();
        for (long n = 0; n < copy.height(); n++) {
          copied.add(HexFormat.of().formatHex(BlockHashing.headerHash(copy.block(n).getHeader())));
        }
        assertThat(cluster.hashes(1, CH)).startsWith(copied.toArray(String[]::new));
      }

      assertThat(pullFirstBlock(config.ordererEndpoint(1).orElseThrow(), cluster.fixture.clientTls("Org1"), 0))
          .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("PERMISSION_DENIED");
      assertThat(pullFirstBlock(config.ordererEndpoint(1).orElseThrow(), cluster.fixture.ordererTls(2), 10_000))
          .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("OUT_OF_RANGE")
          .hasMessageContaining("not all in this orderer's ledger");
    }
  }

  /** What reading the first message of a PullBlocks call for {@code [from..from]} throws, or null. */
  private static Throwable pullFirstBlock(String endpoint, TlsMaterial tls, long from) {
    ManagedChannel channel = GrpcChannels.open(endpoint, tls);
    try {
      Struct request = Struct.newBuilder()
          .putFields("channel", Value.newBuilder().setStringValue(CH).build())
          .putFields("from", Value.newBuilder().setStringValue(Long.toString(from)).build())
          .putFields("to", Value.newBuilder().setStringValue(Long.toString(from)).build())
          .build();
      var responses = ClientCalls.blockingServerStreamingCall(channel, ClusterService.PULL_BLOCKS,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
      try {
        responses.next();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    } finally {
      channel.shutdownNow();
    }
  }
}
