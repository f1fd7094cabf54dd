package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;

/** Checks our hashing against blocks Hyperledger Fabric wrote (shared/testdata/fabric/README.md). */
class BlockHashingTest {
  private static final HexFormat HEX = HexFormat.of();

  /** number, data_hash, header hash — from Fabric's sample_prod ledger (the README's table). */
  private static final String[][] FABRIC_CHAIN = {
    {"0", "2aaa2d6e91d8b6ca889004b975328e114f9169c30fe437284385095cd5584104", "c4a1491ab9a62e9125b3cbab3a782ea1f56e24c608620d85bb940585d059a2a1"},
    {"1", "f38eb85e2157d17b41a4220a356ec22111851951df646ab1b30c3c8ad1627575", "e785e7c8a054685b73763ab79750bd7e4ffe4fe377992f96a3618e19ea6b29d9"},
    {"2", "dbb0455f14f0c504e3554487a2fd107d7ca4f9a144fd587b32df8021c7263c22", "0fe6b0856a5e8d74cea299466591035af24aafe455de11c2ef350d944b6c463e"},
    {"3", "28bb5bca666c26c8c907fb02b03ed907af08229621ce25757a6a6e300dc1aeeb", "ad341e2d64cb236d5f045033ffa214c780fc66faccfd5aec1f5e4219d62704bb"},
    {"4", "bdb354b028815cb3faf8f6b04ea5e0977563b85510e7eb043ae0f82256f4b17f", "a7228dbad12761c5c09606efa32887dc5082bce0d9349dd4841b75f6bbf87313"},
    {"5", "160b1df0094adb06c13c2398a80ed31cd9cbdc92f7736dcf378ac1528926704f", "3e50ef0e7abbbc7fa53d210386fbad81c8f05687f0bd9872e1b6ca5995c97e39"},
    {"6", "3dc7e8ebb754493135be191e7edd74563cf9a2785f87c3aafd01906df5edd8a3", "72eacca7e750be47a4bc8ead206df62336ccb4dde06c85f9d4d03a9f87414811"},
    {"7", "dea1b63f3bb144a17221ea9aa54087a0995748c0ce2e724d87e8bea4c747de03", "ba00545bfd2681a2453c26b281ea932fedf53bc40c5dd5a9091ab8df8fc4d371"},
  };

  @Test
  void recomputed_hashes_of_fabrics_block_file_match_the_recorded_chain() throws Exception {
    List<Block> blocks = FabricBlockFileReader.read(FabricTestData.bytes("sample_prod_mychannel_blockfile_000000"));

    assertThat(blocks).hasSize(FABRIC_CHAIN.length);
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      String[] expected = FABRIC_CHAIN[i];
      assertThat(block.getHeader().getNumber()).isEqualTo(Long.parseLong(expected[0]));
      assertThat(block.getData().getDataCount()).isEqualTo(1);
      assertThat(HEX.formatHex(BlockHashing.dataHash(block.getData()))).as("data hash of block %d", i).isEqualTo(expected[1]);
      assertThat(HEX.formatHex(block.getHeader().getDataHash().toByteArray())).isEqualTo(expected[1]);
      assertThat(HEX.formatHex(BlockHashing.headerHash(block.getHeader()))).as("header hash of block %d", i).isEqualTo(expected[2]);
      if (i > 0) {
        assertThat(HEX.formatHex(block.getHeader().getPreviousHash().toByteArray())).isEqualTo(FABRIC_CHAIN[i - 1][2]);
        assertThat(BlockHashing.chains(blocks.get(i - 1), block)).isTrue();
      } else {
        assertThat(block.getHeader().getPreviousHash().isEmpty()).isTrue();
      }
    }
  }

  @Test
  void block3_from_fabric_has_a_matching_data_hash_and_signatures_over_fabrics_header_bytes() {
    Block block = FabricTestData.block("block3.pb");

    assertThat(block.getHeader().getNumber()).isEqualTo(3);
    assertThat(BlockHashing.dataHashMatches(block)).isTrue();
    assertThat(block.getHeader().getPreviousHash().size()).isEqualTo(32);
    // the orderer signed SIGNATURES (and, in Fabric 1.x, LAST_CONFIG) over value || signature_header || header bytes
    assertThat(BlockSignatureCheck.verifiesWithEmbeddedCertificate(block, Blocks.SIGNATURES)).isTrue();
    assertThat(BlockSignatureCheck.verifiesWithEmbeddedCertificate(block, Blocks.LAST_CONFIG)).isTrue();

    Block otherHeader = block.toBuilder()
        .setHeader(block.getHeader().toBuilder().setNumber(4))
        .build();
    assertThat(BlockSignatureCheck.verifiesWithEmbeddedCertificate(otherHeader, Blocks.SIGNATURES)).isFalse();
  }

  @Test
  void data_hash_mismatch_is_detected() {
    Block block = FabricTestData.block("block3.pb");
    Block tampered = block.toBuilder()
        .setData(block.getData().toBuilder().setData(0, block.getData().getData(0).concat(com.google.protobuf.ByteString.copyFromUtf8("x"))))
        .build();

    assertThat(BlockHashing.dataHashMatches(tampered)).isFalse();
  }

  @Test
  void data_hash_is_the_same_whatever_backs_the_entries() throws Exception {
    byte[] whole = new byte[10_000];
    new java.util.Random(7).nextBytes(whole);
    com.google.protobuf.ByteString flat = com.google.protobuf.ByteString.copyFrom(whole);
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(3_000);
    direct.put(whole, 6_000, 3_000).flip();
    org.hyperledger.fabric.protos.common.BlockData views = org.hyperledger.fabric.protos.common.BlockData.newBuilder()
        .addData(flat.substring(0, 1_000))                                     // a view into a larger array
        .addData(flat.substring(1_000, 2_000).concat(flat.substring(2_000, 6_000))) // a rope
        .addData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(direct))  // direct memory
        .addData(flat.substring(9_000, 9_001))                                 // one byte
        .addData(flat.substring(9_001, 10_000))
        .build();

    byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(whole);
    assertThat(HEX.formatHex(BlockHashing.dataHash(views))).isEqualTo(HEX.formatHex(expected));
  }

  @Test
  void header_bytes_are_the_der_sequence_of_number_previous_hash_and_data_hash() {
    BlockHeader header = BlockHeader.newBuilder()
        .setNumber(1)
        .setPreviousHash(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0xaa}))
        .setDataHash(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0xbb, (byte) 0xcc}))
        .build();

    // SEQUENCE(len 12) { INTEGER 1, OCTET STRING aa, OCTET STRING bbcc }
    assertThat(HEX.formatHex(BlockHashing.headerBytes(header))).isEqualTo("300a020101" + "0401aa" + "0402bbcc");
  }

  @Test
  void large_block_numbers_are_encoded_as_unsigned_integers() {
    BlockHeader header = BlockHeader.newBuilder().setNumber(128).build();

    // 128 needs a leading zero byte to stay positive in DER
    assertThat(HEX.formatHex(BlockHashing.headerBytes(header))).isEqualTo("3008020200800400" + "0400");
  }
}
