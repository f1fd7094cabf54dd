package io.raftswarm.peer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.Blocks;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileTest {
  @TempDir Path dir;

  private static Block block(long n) {
    return Blocks.build(n, new byte[32], List.of(ByteString.copyFromUtf8("tx-" + n)));
  }

  @Test
  void blocks_survive_reopen() throws Exception {
    Path path = dir.resolve("blocks.bin");
    try (BlockFile file = BlockFile.open(path)) {
      for (int i = 0; i < 3; i++) {
        file.append(block(i));
      }
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertThat(file.height()).isEqualTo(3);
      assertThat(file.read(2)).isEqualTo(block(2));
    }
  }

  @Test
  void when_the_last_record_is_torn_then_reopen_cuts_it_off() throws Exception {
    Path path = dir.resolve("blocks.bin");
    try (BlockFile file = BlockFile.open(path)) {
      file.append(block(0));
      file.append(block(1));
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 3); // a crash in the middle of the second append
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertThat(file.height()).isEqualTo(1);
      file.append(block(1));
      assertThat(file.read(1)).isEqualTo(block(1));
    }
  }

  @Test
  void appending_out_of_order_is_refused() throws Exception {
    try (BlockFile file = BlockFile.open(dir.resolve("blocks.bin"))) {
      assertThatThrownBy(() -> file.append(block(1))).hasMessageContaining("cannot append block 1");
    }
  }
}
