package io.raftswarm.peer.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One channel's versioned key/value state (namespace → key → value + version), derived from the
 * ledger: {@link #height()} is the number of blocks whose writes it contains. In memory; made
 * durable by {@link StateSnapshots} and, between snapshots, by replaying the block file.
 *
 * <p>Threading: reads are concurrent; {@link #apply} takes the write lock. Endorsement wraps a
 * whole simulation in {@link #underReadLock} so it sees one consistent state.
 */
public final class WorldState {
  private final NavigableMap<String, NavigableMap<String, VersionedValue>> data = new TreeMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private long height;

  public WorldState() {}

  WorldState(long height, NavigableMap<String, NavigableMap<String, VersionedValue>> entries) {
    this.height = height;
    this.data.putAll(entries);
  }

  public Optional<VersionedValue> get(String namespace, String key) {
    lock.readLock().lock();
    try {
      var ns = data.get(namespace);
      return Optional.ofNullable(ns == null ? null : ns.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Entries with {@code start <= key < end} ("" as end = unbounded). */
  public SortedMap<String, VersionedValue> range(String namespace, String start, String end) {
    lock.readLock().lock();
    try {
      var ns = data.get(namespace);
      if (ns == null) {
        return new TreeMap<>();
      }
      return new TreeMap<>(end.isEmpty() ? ns.tailMap(start, true) : ns.subMap(start, true, end, false));
    } finally {
      lock.readLock().unlock();
    }
  }

  public <T> T underReadLock(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Applies the writes of block {@code blockNumber}; the state's height becomes blockNumber + 1. */
  public void apply(long blockNumber, UpdateBatch batch) {
    lock.writeLock().lock();
    try {
      if (blockNumber != height) {
        throw new IllegalStateException("state is at height " + height + " but block " + blockNumber + " was applied");
      }
      for (var ns : batch.entries().entrySet()) {
        var target = data.computeIfAbsent(ns.getKey(), k -> new TreeMap<>());
        for (Map.Entry<String, Optional<VersionedValue>> e : ns.getValue().entrySet()) {
          if (e.getValue().isPresent()) {
            target.put(e.getKey(), e.getValue().get());
          } else {
            target.remove(e.getKey());
          }
        }
        if (target.isEmpty()) {
          data.remove(ns.getKey());
        }
      }
      height = blockNumber + 1;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public long height() {
    lock.readLock().lock();
    try {
      return height;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * SHA-256 over every entry in (namespace, key) order: namespace, key, value and version, each
   * length-prefixed. Equal on two peers exactly when their states are equal.
   */
  public byte[] hash() {
    lock.readLock().lock();
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (var ns : data.entrySet()) {
        for (var e : ns.getValue().entrySet()) {
          field(digest, ns.getKey().getBytes(StandardCharsets.UTF_8));
          field(digest, e.getKey().getBytes(StandardCharsets.UTF_8));
          field(digest, e.getValue().value());
          field(digest, e.getValue().version().toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The height and a copy of the entries, taken atomically (values are immutable, so a shallow copy per namespace is enough). */
  record Export(long height, NavigableMap<String, NavigableMap<String, VersionedValue>> entries) {}

  Export export() {
    lock.readLock().lock();
    try {
      NavigableMap<String, NavigableMap<String, VersionedValue>> copy = new TreeMap<>();
      data.forEach((ns, entries) -> copy.put(ns, new TreeMap<>(entries)));
      return new Export(height, copy);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static void field(MessageDigest digest, byte[] bytes) {
    int n = bytes.length;
    digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    digest.update(bytes);
  }
}
