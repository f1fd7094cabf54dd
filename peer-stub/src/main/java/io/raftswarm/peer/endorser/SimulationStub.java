package io.raftswarm.peer.endorser;

import io.raftswarm.peer.chaincode.ChaincodeStub;
import io.raftswarm.peer.ledger.VersionedValue;
import io.raftswarm.peer.ledger.WorldState;
import io.raftswarm.peer.tx.ReadWriteSet;
import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stub a chaincode runs against during endorsement: reads from committed state (recording
 * the version read), writes only into the read/write set. Not thread-safe (one per proposal).
 */
final class SimulationStub implements ChaincodeStub {
  private final String namespace;
  private final List<String> args;
  private final String txId;
  private final String channelId;
  private final WorldState state;
  private final ReadWriteSet rwSet;
  private ChaincodeEvent event;

  SimulationStub(String namespace, List<String> args, String txId, String channelId, WorldState state, ReadWriteSet rwSet) {
    this.namespace = namespace;
    this.args = List.copyOf(args);
    this.txId = txId;
    this.channelId = channelId;
    this.state = state;
    this.rwSet = rwSet;
  }

  @Override
  public List<String> args() {
    return args;
  }

  @Override
  public String txId() {
    return txId;
  }

  @Override
  public void setEvent(String name, byte[] payload) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a chaincode event needs a name");
    }
    event = ChaincodeEvent.newBuilder().setChaincodeId(namespace).setTxId(txId).setEventName(name)
        .setPayload(ByteString.copyFrom(payload)).build();
  }

  /** The event the chaincode set, if any. */
  Optional<ChaincodeEvent> event() {
    return Optional.ofNullable(event);
  }

  @Override
  public String channelId() {
    return channelId;
  }

  @Override
  public Optional<byte[]> getState(String key) {
    Optional<VersionedValue> value = state.get(namespace, key);
    rwSet.read(namespace, key, value.map(VersionedValue::version));
    return value.map(VersionedValue::value).map(byte[]::clone);
  }

  @Override
  public void putState(String key, byte[] value) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    rwSet.write(namespace, key, value);
  }

  @Override
  public void delState(String key) {
    rwSet.delete(namespace, key);
  }

  @Override
  public SortedMap<String, byte[]> getStateByRange(String startKey, String endKey) {
    SortedMap<String, byte[]> result = new TreeMap<>();
    for (var e : state.range(namespace, startKey, endKey).entrySet()) {
      rwSet.read(namespace, e.getKey(), Optional.of(e.getValue().version()));
      result.put(e.getKey(), e.getValue().value().clone());
    }
    return result;
  }
}
