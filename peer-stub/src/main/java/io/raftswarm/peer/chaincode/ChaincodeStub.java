package io.raftswarm.peer.chaincode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What a chaincode sees of its transaction: the arguments and its own namespace of the world
 * state. Reads see committed state only (like Fabric, a write is not visible to a later read in
 * the same transaction); every read and write is recorded in the read/write set.
 */
public interface ChaincodeStub {

  /** All arguments, the function name first. */
  List<String> args();

  /** The first argument, or "" when there is none. */
  default String function() {
    return args().isEmpty() ? "" : args().get(0);
  }

  /** The arguments after the function name. */
  default List<String> parameters() {
    return args().isEmpty() ? List.of() : args().subList(1, args().size());
  }

  String txId();

  /**
   * Sets the transaction's chaincode event (Fabric's SetEvent: one per transaction, the last call
   * wins). Clients see it once the transaction commits as VALID (the gateway's ChaincodeEvents).
   */
  void setEvent(String name, byte[] payload);

  String channelId();

  Optional<byte[]> getState(String key);

  void putState(String key, byte[] value);

  void delState(String key);

  /** Committed entries with {@code startKey <= key < endKey}, in key order; each is recorded as a read. */
  SortedMap<String, byte[]> getStateByRange(String startKey, String endKey);

  /** Convenience for UTF-8 values. */
  default Optional<String> getStringState(String key) {
    return getState(key).map(v -> new String(v, java.nio.charset.StandardCharsets.UTF_8));
  }

  default void putStringState(String key, String value) {
    putState(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Unused by the built-ins; present so chaincodes can read transient data later. */
  default Map<String, byte[]> transientMap() {
    return Map.of();
  }
}
