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
  void sync_appended_fsyncs_only_when_blocks_were_appended_since_the_last_sync() throws IOException {
    try (BlockStore store = BlockStore.open(dir)) {
      store.append(next(store, "genesis"), true);
      assertThat(store.syncedHeight()).isEqualTo(1);
      assertThat(store.syncAppended()).isFalse();

      store.append(next(store, "a"), false);
      store.append(next(store, "b"), false);
      assertThat(store.syncedHeight()).isEqualTo(1);
      assertThat(store.syncAppended()).isTrue();
      assertThat(store.syncedHeight()).isEqualTo(3);
      assertThat(store.syncAppended()).isFalse();
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

  @Test
  void frames_copy_a_chain_between_ledgers_in_batches_of_at_most_max_bytes(@TempDir Path other) throws IOException {
    try (BlockStore source = BlockStore.open(dir); BlockStore copy = BlockStore.open(other)) {
      for (int i = 0; i < 50; i++) {
        source.append(next(source, "tx-" + i + "-" + "x".repeat(100)), false);
      }

      int messages = 0;
      while (copy.height() < source.height()) {
        BlockStore.Frames frames = source.readFrames(copy.height(), source.height() - 1, 1_000);
        assertThat(frames.bytes().length).isLessThanOrEqualTo(1_000);
        assertThat(BlockStore.Frames.of(frames.bytes()).count()).isEqualTo(frames.count());
        copy.appendFrames(frames);
        messages++;
      }

      assertThat(messages).isBetween(5, 25);
      assertThat(copy.lastHeaderHash()).isEqualTo(source.lastHeaderHash());
      assertThat(copy.block(49)).isEqualTo(source.block(49));
      assertThat(copy.block(7)).isEqualTo(source.block(7));
    }
    try (BlockStore reopened = BlockStore.open(other)) {
      assertThat(reopened.height()).isEqualTo(50);
    }
  }

  @Test
  void a_frame_larger_than_max_bytes_is_sent_alone_and_the_range_end_is_kept(@TempDir Path other) throws IOException {
    try (BlockStore source = BlockStore.open(dir)) {
      source.append(next(source, "genesis"), false);
      source.append(next(source, "y".repeat(5_000)), false);
      source.append(next(source, "z"), false);

      assertThat(source.readFrames(1, 2, 1_000).count()).isEqualTo(1);
      assertThat(source.readFrames(0, 0, 1_000_000).count()).isEqualTo(1);
      assertThat(source.readFrames(0, 2, 1_000_000).count()).isEqualTo(3);
      assertThatThrownBy(() -> source.readFrames(3, 3, 1_000)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("height 3");
    }
  }

  @Test
  void append_frames_keeps_the_good_frames_before_a_bad_one_and_names_the_bad_one(@TempDir Path other) throws IOException {
    try (BlockStore source = BlockStore.open(dir); BlockStore copy = BlockStore.open(other)) {
      for (int i = 0; i < 3; i++) {
        source.append(next(source, "tx-" + i), false);
      }
      byte[] bytes = source.readFrames(0, 2, 1_000_000).bytes();
      byte[] corrupt = bytes.clone();
      corrupt[corrupt.length - 1] ^= 1; // the last block's last byte: its CRC no longer matches

      assertThatThrownBy(() -> copy.appendFrames(BlockStore.Frames.of(corrupt)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block 2 fails its CRC");
      assertThat(copy.height()).isEqualTo(2);
      assertThat(copy.lastHeaderHash()).isEqualTo(BlockHashing.headerHash(source.block(1).getHeader()));
      assertThat(copy.block(1)).isEqualTo(source.block(1));

      assertThatThrownBy(() -> BlockStore.Frames.of(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("torn");
    }
  }

  @Test
  void append_frames_refuses_a_block_whose_data_does_not_match_its_header(@TempDir Path other) throws IOException {
    try (BlockStore copy = BlockStore.open(other)) {
      Block genesis = Blocks.build(0, new byte[0], List.of(ByteString.copyFromUtf8("genesis")));
      Block forged = genesis.toBuilder().setData(genesis.getData().toBuilder().setData(0, ByteString.copyFromUtf8("forged")))
          .build();
      byte[] bytes = forged.toByteArray();
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(bytes);
      ByteBuffer frame = ByteBuffer.allocate(8 + bytes.length).putInt(bytes.length).putInt((int) crc.getValue()).put(bytes);

      assertThatThrownBy(() -> copy.appendFrames(BlockStore.Frames.of(frame.array())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data hash in block 0");
      assertThat(copy.height()).isZero();
    }
  }

  @Test
  void append_frames_refuses_blocks_that_do_not_continue_the_chain(@TempDir Path other) throws IOException {
    try (BlockStore source = BlockStore.open(dir); BlockStore copy = BlockStore.open(other)) {
      for (int i = 0; i < 3; i++) {
        source.append(next(source, "tx-" + i), false);
      }
      copy.append(next(copy, "another genesis"), false);

      assertThatThrownBy(() -> copy.appendFrames(source.readFrames(1, 2, 1_000_000)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not continue the chain at height 1");
      assertThat(copy.height()).isEqualTo(1);
    }
  }
}
