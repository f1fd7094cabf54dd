package io.raftswarm.peer.ledger;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The writes of one block's valid transactions, in commit order; a delete is an empty value.
 * Not thread-safe: built by one validator, then handed to {@link WorldState#apply}.
 */
public final class UpdateBatch {
  private final NavigableMap<String, NavigableMap<String, Optional<VersionedValue>>> updates = new TreeMap<>();

  public void put(String namespace, String key, byte[] value, Version version) {
    updates.computeIfAbsent(namespace, ns -> new TreeMap<>()).put(key, Optional.of(new VersionedValue(value, version)));
  }

  public void delete(String namespace, String key) {
    updates.computeIfAbsent(namespace, ns -> new TreeMap<>()).put(key, Optional.empty());
  }

  /** True when an earlier transaction of this block wrote or deleted the key. */
  public boolean touches(String namespace, String key) {
    var ns = updates.get(namespace);
    return ns != null && ns.containsKey(key);
  }

  /** The pending value (empty Optional inside = deleted), or null when this batch does not touch the key. */
  public Optional<VersionedValue> pending(String namespace, String key) {
    var ns = updates.get(namespace);
    return ns == null ? null : ns.get(key);
  }

  Map<String, NavigableMap<String, Optional<VersionedValue>>> entries() {
    return updates;
  }

  public boolean isEmpty() {
    return updates.isEmpty();
  }
}
