package io.raftswarm.orderer.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.orderer.ledger.BlockStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupWindowTest {
  @Test
  void an_envelope_with_a_txid_is_keyed_by_it() {
    assertThat(DedupWindow.key(envelope("abc123", "n1"))).isEqualTo("abc123");
  }

  @Test
  void an_envelope_without_txid_is_keyed_by_the_sha256_of_its_bytes() throws Exception {
    ByteString bytes = envelope("", "n1");
    String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    assertThat(DedupWindow.key(bytes)).isEqualTo(expected);
    assertThat(DedupWindow.key("", bytes)).isEqualTo(expected);
    assertThat(DedupWindow.key(envelope("", "n1"))).as("the same bytes again: a retry").isEqualTo(expected);
    assertThat(DedupWindow.key(envelope("", "n2"))).as("another nonce: another message").isNotEqualTo(expected);
  }

  @Test
  void unparsable_bytes_are_keyed_by_their_hash_too() {
    assertThat(DedupWindow.key(ByteString.copyFromUtf8("not an envelope"))).startsWith("sha256:");
  }

  /**
   * Keys are read with aliasing parsers (AliasedProtos); they must refuse exactly what a plain
   * parse refuses, or orderers of two versions would key such an envelope differently and drop
   * different duplicates. A stray end-group tag after the fields is one a stream parse alone accepts.
   */
  @Test
  void bytes_a_plain_parse_refuses_are_keyed_by_their_hash_whatever_the_parser() {
    ByteString stray = envelope("abc123", "n1").concat(ByteString.copyFrom(new byte[] {0x0C}));
    assertThat(DedupWindow.key(stray)).startsWith("sha256:");
    ByteString strayInPayload = Envelope.newBuilder()
        .setPayload(payload("abc123", "n1").concat(ByteString.copyFrom(new byte[] {0x0C}))).build().toByteString();
    assertThat(DedupWindow.key(strayInPayload)).startsWith("sha256:");
  }

  @Test
  void keys_stay_in_the_window_until_whole_blocks_beyond_capacity_are_evicted() {
    DedupWindow window = new DedupWindow(4);
    window.add(1, List.of("a", "sha256:00"));
    window.add(2, List.of("b", "c"));
    assertThat(window.contains("sha256:00")).isTrue();
    window.add(3, List.of("d"));
    assertThat(window.contains("a")).isFalse();
    assertThat(window.contains("sha256:00")).isFalse();
    assertThat(window.blockOf("d")).contains(3L);
  }

  @Test
  void a_rebuild_from_the_ledger_holds_the_newest_blocks_keys_under_their_block_numbers(@TempDir Path dir) throws Exception {
    try (BlockStore ledger = BlockStore.open(dir)) {
      ledger.append(Blocks.build(0, new byte[0], List.of(envelope("genesis", "g"))), false);
      for (int n = 1; n <= 5; n++) {
        ledger.append(Blocks.build(n, ledger.lastHeaderHash(), List.of(envelope("tx" + n + "a", "a"), envelope("tx" + n + "b", "b"))), false);
      }
      DedupWindow window = new DedupWindow(4);
      window.add(99, List.of("stale"));
      window.rebuild(ledger);
      assertThat(window.contains("stale")).as("rebuild starts empty").isFalse();
      assertThat(window.contains("genesis")).as("block 0 is skipped").isFalse();
      assertThat(window.contains("tx3a")).as("beyond capacity (4 keys = blocks 4 and 5)").isFalse();
      assertThat(window.blockOf("tx4a")).contains(4L);
      assertThat(window.blockOf("tx5b")).contains(5L);
    }
  }

  private static ByteString envelope(String txId, String nonce) {
    return Envelope.newBuilder().setPayload(payload(txId, nonce)).setSignature(ByteString.copyFromUtf8("sig")).build().toByteString();
  }

  private static ByteString payload(String txId, String nonce) {
    ChannelHeader ch = ChannelHeader.newBuilder().setType(HeaderType.MESSAGE_VALUE).setChannelId("mychannel").setTxId(txId)
        .setTimestamp(Timestamp.newBuilder().setSeconds(1)).build();
    SignatureHeader sh = SignatureHeader.newBuilder().setNonce(ByteString.copyFromUtf8(nonce)).build();
    return Payload.newBuilder()
        .setHeader(Header.newBuilder().setChannelHeader(ch.toByteString()).setSignatureHeader(sh.toByteString())).build().toByteString();
  }
}
