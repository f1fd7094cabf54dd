package io.raftswarm.orderer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {
  @TempDir
  Path dir;

  private static Block next(BlockStore store, String... txs) {
    List<ByteString> envelopes = java.util.Arrays.stream(txs).map(ByteString::copyFromUtf8).toList();
    return Blocks.build(store.height(), store.lastHeaderHash(), envelopes);
  }

  private Path file() {
    return dir.resolve("blockfile_000000");
  }

  @Test
  void appended_blocks_are_read_back_after_reopen() throws IOException {
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);
      store.append(next(store, "a", "b"), true);
      store.append(next(store, "c"), false);
      store.sync();
    }

    try (BlockStore store = BlockStore.open(dir)) {
      assertThat(store.height()).isEqualTo(3);
      assertThat(store.block(1).getData().getDataList()).extracting(ByteString::toStringUtf8).containsExactly("a", "b");
      assertThat(store.lastHeaderHash()).isEqualTo(BlockHashing.headerHash(store.block(2).getHeader()));
      assertThat(store.block(2).getHeader().getPreviousHash().toByteArray())
          .isEqualTo(BlockHashing.headerHash(store.block(1).getHeader()));
    }
  }

  @Test
  void a_torn_tail_is_truncated_at_open_and_appending_continues() throws IOException {
    long intact;
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);
      store.append(next(store, "a"), true);
      intact = Files.size(file());
      store.append(next(store, "b", "c", "d"), true);
    }
    long full = Files.size(file());
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      ch.truncate(full - 7); // a crash in the middle of the last append
    }

    try (BlockStore store = BlockStore.open(dir)) {
      assertThat(store.height()).isEqualTo(2);
      assertThat(Files.size(file())).isEqualTo(intact);
      store.append(next(store, "again"), true);
      assertThat(store.height()).isEqualTo(3);
    }
    try (BlockStore store = BlockStore.open(dir)) {
      assertThat(store.height()).isEqualTo(3);
      assertThat(store.block(2).getData().getData(0).toStringUtf8()).isEqualTo("again");
    }
  }

  @Test
  void a_corrupted_last_block_fails_its_checksum_and_is_dropped() throws IOException {
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);
      store.append(next(store, "a"), true);
    }
    long size = Files.size(file());
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF}), size - 3);
    }

    try (BlockStore store = BlockStore.open(dir)) {
      assertThat(store.height()).isEqualTo(1);
    }
  }

  @Test
  void a_block_that_does_not_continue_the_chain_is_refused() throws IOException {
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);
      Block wrongNumber = Blocks.build(5, store.lastHeaderHash(), List.of(ByteString.copyFromUtf8("x")));
      Block wrongHash = Blocks.build(1, new byte[32], List.of(ByteString.copyFromUtf8("x")));

      assertThatThrownBy(() -> store.append(wrongNumber, true))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not follow the ledger height 1");
      assertThatThrownBy(() -> store.append(wrongHash, true))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has previous hash");
      assertThat(store.height()).isEqualTo(1);
    }
  }

  @Test
  void reading_beyond_the_height_names_the_height() throws IOException {
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);

      assertThatThrownBy(() -> store.block(1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block 1 is not in the ledger (height 1)");
    }
  }

  @Test
  @Timeout(10)
  void a_waiting_reader_wakes_up_when_its_block_is_appended() throws Exception {
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);
      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        try {
          return store.awaitBlock(1, 5_000);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });

      store.append(next(store, "a"), true);

      assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(store.awaitBlock(2, 0)).isFalse();
    }
  }
}
