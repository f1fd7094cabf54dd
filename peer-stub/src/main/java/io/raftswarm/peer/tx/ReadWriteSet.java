package io.raftswarm.peer.tx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import io.raftswarm.peer.ledger.Version;

/**
 * A transaction's reads (key → version read, empty = key was absent) and writes (key → value,
 * empty = delete) per namespace, and its Fabric encoding ({@code rwset.TxReadWriteSet} with a
 * {@code kvrwset.KVRWSet} per namespace). Namespaces and keys are sorted, so two peers that
 * simulate the same proposal on the same state encode byte-identical sets.
 */
public final class ReadWriteSet {
  private final NavigableMap<String, NavigableMap<String, Optional<Version>>> reads = new TreeMap<>();
  private final NavigableMap<String, NavigableMap<String, Optional<byte[]>>> writes = new TreeMap<>();

  /** Records the first read of a key; later reads of the same key keep the first version. */
  public void read(String namespace, String key, Optional<Version> version) {
    reads.computeIfAbsent(namespace, ns -> new TreeMap<>()).putIfAbsent(key, version);
  }

  public void write(String namespace, String key, byte[] value) {
    writes.computeIfAbsent(namespace, ns -> new TreeMap<>()).put(key, Optional.of(value.clone()));
  }

  public void delete(String namespace, String key) {
    writes.computeIfAbsent(namespace, ns -> new TreeMap<>()).put(key, Optional.empty());
  }

  public NavigableMap<String, NavigableMap<String, Optional<Version>>> reads() {
    return reads;
  }

  public NavigableMap<String, NavigableMap<String, Optional<byte[]>>> writes() {
    return writes;
  }

  public ByteString toByteString() {
    TxReadWriteSet.Builder tx = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
    TreeMap<String, Boolean> namespaces = new TreeMap<>();
    reads.keySet().forEach(ns -> namespaces.put(ns, true));
    writes.keySet().forEach(ns -> namespaces.put(ns, true));
    for (String ns : namespaces.keySet()) {
      KVRWSet.Builder kv = KVRWSet.newBuilder();
      for (Map.Entry<String, Optional<Version>> r : reads.getOrDefault(ns, new TreeMap<>()).entrySet()) {
        KVRead.Builder read = KVRead.newBuilder().setKey(r.getKey());
        r.getValue().ifPresent(v -> read.setVersion(org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
            .setBlockNum(v.blockNum()).setTxNum(v.txNum())));
        kv.addReads(read);
      }
      for (Map.Entry<String, Optional<byte[]>> w : writes.getOrDefault(ns, new TreeMap<>()).entrySet()) {
        KVWrite.Builder write = KVWrite.newBuilder().setKey(w.getKey());
        if (w.getValue().isPresent()) {
          write.setValue(ByteString.copyFrom(w.getValue().get()));
        } else {
          write.setIsDelete(true);
        }
        kv.addWrites(write);
      }
      tx.addNsRwset(NsReadWriteSet.newBuilder().setNamespace(ns).setRwset(kv.build().toByteString()));
    }
    return tx.build().toByteString();
  }

  public static ReadWriteSet parse(ByteString bytes) throws InvalidProtocolBufferException {
    ReadWriteSet set = new ReadWriteSet();
    TxReadWriteSet tx = TxReadWriteSet.parseFrom(bytes);
    for (NsReadWriteSet ns : tx.getNsRwsetList()) {
      KVRWSet kv = KVRWSet.parseFrom(ns.getRwset());
      String name = ns.getNamespace();
      for (KVRead r : kv.getReadsList()) {
        set.read(name, r.getKey(), r.hasVersion()
            ? Optional.of(new Version(r.getVersion().getBlockNum(), r.getVersion().getTxNum()))
            : Optional.empty());
      }
      for (KVWrite w : kv.getWritesList()) {
        if (w.getIsDelete()) {
          set.delete(name, w.getKey());
        } else {
          set.write(name, w.getKey(), w.getValue().toByteArray());
        }
      }
    }
    return set;
  }

  /** The namespaces written, for logs. */
  public List<String> writtenNamespaces() {
    return new ArrayList<>(writes.keySet());
  }
}
