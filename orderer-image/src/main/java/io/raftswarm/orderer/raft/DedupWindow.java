package io.raftswarm.orderer.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.AliasedProtos;
import io.raftswarm.common.fabric.ByteStringDigest;
import io.raftswarm.orderer.ledger.BlockStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The dedup keys of the most recent blocks of a channel (at least {@code capacity} keys, whole
 * blocks), used to drop an envelope that is already ordered when a client retried it after an
 * unknown outcome.
 *
 * <p>A dedup key is the envelope's transaction id; an envelope without one (Fabric's MESSAGE
 * envelopes from {@code broadcast_msg}, which Fabric orders) is keyed by the SHA-256 of its bytes
 * as {@code "sha256:<hex>"}. Two such envelopes never share bytes by accident: each carries a
 * fresh nonce, timestamp and ECDSA signature; a resend of the same bytes is a retry.
 *
 * <p>The window is a pure function of the ledger (it is rebuilt from the last blocks at start and
 * after catch-up), and the key a pure function of the envelope bytes, so every orderer filters
 * the same committed entry the same way: the filtering is deterministic and the chains stay identical.
 *
 * <p>Threading: {@link #add} and {@link #rebuild} from the apply thread only; {@link #blockOf}
 * and {@link #contains} from any thread.
 */
public final class DedupWindow {
  static final String HASH_PREFIX = "sha256:";

  private final int capacity;
  private final Map<String, Long> blockByKey = new ConcurrentHashMap<>();
  private final ArrayDeque<List<String>> blocks = new ArrayDeque<>();
  private int size;

  public DedupWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("dedup window capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The block that ordered the envelope with this dedup key, if it is in the window. */
  public Optional<Long> blockOf(String key) {
    return Optional.ofNullable(blockByKey.get(key));
  }

  public boolean contains(String key) {
    return blockByKey.containsKey(key);
  }

  /** Records the dedup keys of a newly appended block and evicts the oldest blocks beyond capacity. */
  public synchronized void add(long blockNumber, List<String> keys) {
    blocks.addLast(keys);
    for (String key : keys) {
      blockByKey.put(key, blockNumber);
    }
    size += keys.size();
    while (size > capacity && blocks.size() > 1) {
      List<String> evicted = blocks.removeFirst();
      size -= evicted.size();
      for (String key : evicted) {
        blockByKey.remove(key);
      }
    }
  }

  /**
   * Refills the window from the newest blocks of the ledger (block 0, the genesis block, is
   * skipped), reading back from the newest block and keeping only the keys: holding the blocks
   * themselves would put ~100 MB of 1 KB envelopes on the heap at every start.
   */
  public synchronized void rebuild(BlockStore ledger) {
    blocks.clear();
    blockByKey.clear();
    size = 0;
    ArrayDeque<List<String>> recent = new ArrayDeque<>();
    int count = 0;
    long oldest = ledger.height();
    for (long n = ledger.height() - 1; n >= 1 && count <= capacity; n--) {
      List<String> keys = keys(ledger.block(n).getData().getDataList());
      recent.addFirst(keys);
      count += keys.size();
      oldest = n;
    }
    long number = oldest;
    for (List<String> keys : recent) {
      add(number++, keys);
    }
  }

  /** The dedup keys of serialized envelopes. */
  public static List<String> keys(List<ByteString> envelopes) {
    List<String> keys = new ArrayList<>(envelopes.size());
    for (ByteString envelope : envelopes) {
      keys.add(key(envelope));
    }
    return keys;
  }

  /** The dedup key of a serialized envelope; one without a parsable header is keyed by its hash too. */
  public static String key(ByteString envelopeBytes) {
    return key(txId(envelopeBytes), envelopeBytes);
  }

  /** The dedup key of an envelope whose transaction id is known already ("" when it has none). */
  public static String key(String txId, ByteString envelopeBytes) {
    if (!txId.isEmpty()) {
      return txId;
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
    ByteStringDigest.update(digest, envelopeBytes);
    return HASH_PREFIX + HexFormat.of().formatHex(digest.digest());
  }

  private static String txId(ByteString envelopeBytes) {
    try {
      Envelope envelope = AliasedProtos.parse(Envelope.parser(), envelopeBytes);
      Payload payload = AliasedProtos.parse(Payload.parser(), envelope.getPayload());
      return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }
}
