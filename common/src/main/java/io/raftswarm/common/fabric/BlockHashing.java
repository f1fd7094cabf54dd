package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Fabric's block hashing (protoutil.BlockHeaderHash / BlockDataHash): a block's header hash is
 * SHA-256 over the DER encoding of {@code SEQUENCE {INTEGER number, OCTET STRING previous_hash,
 * OCTET STRING data_hash}}, and its data hash is SHA-256 over the envelopes concatenated. Block
 * n+1's previous_hash is block n's header hash. Stateless and thread-safe.
 */
public final class BlockHashing {
  private BlockHashing() {}

  /** SHA-256 of {@link #headerBytes(BlockHeader)}. */
  public static byte[] headerHash(BlockHeader header) {
    return sha256(headerBytes(header));
  }

  /** SHA-256 of the data entries (envelope bytes) concatenated. */
  public static byte[] dataHash(BlockData data) {
    MessageDigest digest = sha256();
    for (ByteString entry : data.getDataList()) {
      ByteStringDigest.update(digest, entry);
    }
    return digest.digest();
  }

  /**
   * The ASN.1 DER bytes Fabric hashes and signs for a header (protoutil.BlockHeaderBytes). The
   * number is encoded as an unsigned INTEGER, as Go's asn1 does for a uint64 passed as big.Int.
   */
  public static byte[] headerBytes(BlockHeader header) {
    BigInteger number = new BigInteger(Long.toUnsignedString(header.getNumber()));
    ASN1Encodable[] fields = {
      new ASN1Integer(number),
      new DEROctetString(header.getPreviousHash().toByteArray()),
      new DEROctetString(header.getDataHash().toByteArray())
    };
    try {
      return new DERSequence(fields).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot DER-encode the header of block " + header.getNumber(), e);
    }
  }

  /** True when the header's data_hash matches the block's data. */
  public static boolean dataHashMatches(Block block) {
    return MessageDigest.isEqual(dataHash(block.getData()), block.getHeader().getDataHash().toByteArray());
  }

  /** True when {@code next.previous_hash} is the header hash of {@code previous}, and the numbers follow. */
  public static boolean chains(Block previous, Block next) {
    return next.getHeader().getNumber() == previous.getHeader().getNumber() + 1
        && MessageDigest.isEqual(headerHash(previous.getHeader()), next.getHeader().getPreviousHash().toByteArray());
  }

  static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
