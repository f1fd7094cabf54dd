package io.raftswarm.orderer.chain;

import static io.raftswarm.common.fabric.OrdererMemory.MIB;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.configtx.ConfigUpdateException;
import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.testing.LocalNetworkFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigChangesTest {
  private static final OrdererMemory FOR_10_MB = OrdererMemory.forLargestBlock(10 * MIB);
  private static ChannelConfig like;

  @BeforeAll
  static void channelOfAFixture(@TempDir Path dir) throws Exception {
    like = LocalNetworkFixture.create(dir, 1, 0, List.of("mychannel"), RaftOptions.defaults(), BatchSettings.defaults())
        .channelConfig("mychannel");
  }

  @Test
  void an_update_that_raises_AbsoluteMaxBytes_past_what_the_heap_holds_is_refused_with_what_to_do() {
    assertThatThrownBy(() -> ConfigChanges.requireSupported(channel(10 * MIB), channel(99 * MIB), FOR_10_MB))
        .isInstanceOf(ConfigUpdateException.class)
        .hasMessageContaining("AbsoluteMaxBytes 103809024 bytes needs a 688 MiB heap")
        .hasMessageContaining("this orderer's heap is 416 MiB")
        .hasMessageContaining("resources.ordererMemory");
  }

  @Test
  void raising_it_within_the_heap_or_lowering_it_or_keeping_it_passes() {
    assertThatCode(() -> ConfigChanges.requireSupported(channel(MIB), channel(FOR_10_MB.largestBlock()), FOR_10_MB))
        .doesNotThrowAnyException();
    assertThatCode(() -> ConfigChanges.requireSupported(channel(99 * MIB), channel(50 * MIB), FOR_10_MB))
        .as("a channel that already allowed more (made elsewhere) may still come down")
        .doesNotThrowAnyException();
    assertThatCode(() -> ConfigChanges.requireSupported(channel(99 * MIB), channel(99 * MIB), FOR_10_MB))
        .as("other changes to such a channel are not blocked by it")
        .doesNotThrowAnyException();
  }

  private static ChannelConfig channel(long absoluteMaxBytes) {
    return new ChannelConfig(like.channelId(), like.consenters(), like.ordererEndpoints(), like.raftOptions(),
        new BatchSettings(Duration.ofSeconds(2), 500, (int) absoluteMaxBytes, 512 * 1024), like.ordererOrgs(),
        like.applicationOrgs(), like.anchorPeers());
  }
}
