package io.raftswarm.orderer.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.orderer.ledger.BlockStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The transaction ids of the most recent blocks of a channel (at least {@code capacity} ids,
 * whole blocks), used to drop a transaction that is already ordered when a client retried it
 * after an unknown outcome.
 *
 * <p>The window is a pure function of the ledger (it is rebuilt from the last blocks at start and
 * after catch-up), so every orderer filters the same committed entry the same way: the
 * filtering is deterministic and the chains stay identical.
 *
 * <p>Threading: {@link #add} and {@link #rebuild} from the apply thread only; {@link #blockOf}
 * from any thread.
 */
public final class TxIdWindow {
  private final int capacity;
  private final Map<String, Long> blockByTxId = new ConcurrentHashMap<>();
  private final ArrayDeque<List<String>> blocks = new ArrayDeque<>();
  private int size;

  public TxIdWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("dedup window capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The block that ordered {@code txId}, if it is in the window. */
  public Optional<Long> blockOf(String txId) {
    return Optional.ofNullable(blockByTxId.get(txId));
  }

  public boolean contains(String txId) {
    return blockByTxId.containsKey(txId);
  }

  /** Records the transactions of a newly appended block and evicts the oldest blocks beyond capacity. */
  public synchronized void add(long blockNumber, List<String> txIds) {
    blocks.addLast(txIds);
    for (String txId : txIds) {
      blockByTxId.put(txId, blockNumber);
    }
    size += txIds.size();
    while (size > capacity && blocks.size() > 1) {
      List<String> evicted = blocks.removeFirst();
      size -= evicted.size();
      for (String txId : evicted) {
        blockByTxId.remove(txId);
      }
    }
  }

  /** Refills the window from the newest blocks of the ledger (block 0, the genesis block, is skipped). */
  public synchronized void rebuild(BlockStore ledger) {
    blocks.clear();
    blockByTxId.clear();
    size = 0;
    List<Block> recent = new ArrayList<>();
    int count = 0;
    for (long n = ledger.height() - 1; n >= 1 && count <= capacity; n--) {
      Block block = ledger.block(n);
      recent.add(block);
      count += block.getData().getDataCount();
    }
    for (int i = recent.size() - 1; i >= 0; i--) {
      Block block = recent.get(i);
      add(block.getHeader().getNumber(), txIds(block.getData().getDataList()));
    }
  }

  /** The txIds of serialized envelopes; an envelope without a parsable header contributes "". */
  public static List<String> txIds(List<ByteString> envelopes) {
    List<String> ids = new ArrayList<>(envelopes.size());
    for (ByteString envelope : envelopes) {
      ids.add(txId(envelope));
    }
    return ids;
  }

  static String txId(ByteString envelopeBytes) {
    try {
      Envelope envelope = Envelope.parseFrom(envelopeBytes);
      Payload payload = Payload.parseFrom(envelope.getPayload());
      return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }
}
