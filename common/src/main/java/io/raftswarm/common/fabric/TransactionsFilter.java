package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The TRANSACTIONS_FILTER metadata slot: one byte per transaction of the block, its
 * {@code peer.TxValidationCode} (0 = VALID). Unlike the other slots it is raw bytes, not a
 * {@code common.Metadata}. The orderer leaves it as NOT_VALIDATED; the committing peer fills it.
 */
public final class TransactionsFilter {
  private TransactionsFilter() {}

  /** A copy of the block whose filter has one code per transaction. */
  public static Block withCodes(Block block, List<TxValidationCode> codes) {
    int transactions = block.getData().getDataCount();
    if (codes.size() != transactions) {
      throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " has " + transactions
          + " transactions but " + codes.size() + " validation codes were given");
    }
    byte[] filter = new byte[transactions];
    for (int i = 0; i < transactions; i++) {
      filter[i] = (byte) codes.get(i).getNumber();
    }
    return Blocks.withSlot(block, Blocks.TRANSACTIONS_FILTER, ByteString.copyFrom(filter));
  }

  /** A copy of the block with every transaction marked with the same code (e.g. NOT_VALIDATED by the orderer). */
  public static Block withAll(Block block, TxValidationCode code) {
    return withCodes(block, Collections.nCopies(block.getData().getDataCount(), code));
  }

  /**
   * The code of transaction {@code tx}; NOT_VALIDATED when the filter is absent or too short.
   */
  public static TxValidationCode code(Block block, int tx) {
    if (tx < 0 || tx >= block.getData().getDataCount()) {
      throw new IndexOutOfBoundsException("block " + block.getHeader().getNumber() + " has no transaction " + tx);
    }
    ByteString filter = Blocks.slot(block, Blocks.TRANSACTIONS_FILTER);
    if (tx >= filter.size()) {
      return TxValidationCode.NOT_VALIDATED;
    }
    TxValidationCode code = TxValidationCode.forNumber(filter.byteAt(tx) & 0xff);
    return code == null ? TxValidationCode.INVALID_OTHER_REASON : code;
  }

  /** The codes of all transactions, in block order. */
  public static List<TxValidationCode> codes(Block block) {
    return IntStream.range(0, block.getData().getDataCount()).mapToObj(i -> code(block, i)).toList();
  }
}
