package io.raftswarm.peer.chaincode;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A stub over a plain map: writes are visible at once (enough to test chaincode logic). */
final class MapStub implements ChaincodeStub {
  final TreeMap<String, byte[]> state = new TreeMap<>();
  private List<String> args = List.of();

  MapStub with(String... args) {
    this.args = List.of(args);
    return this;
  }

  String get(String key) {
    return state.containsKey(key) ? new String(state.get(key), java.nio.charset.StandardCharsets.UTF_8) : null;
  }

  @Override
  public List<String> args() {
    return args;
  }

  @Override
  public String txId() {
    return "tx";
  }

  /** The last event set, as name=payload. */
  String event;

  @Override
  public void setEvent(String name, byte[] payload) {
    event = name + "=" + new String(payload, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String channelId() {
    return "mychannel";
  }

  @Override
  public Optional<byte[]> getState(String key) {
    return Optional.ofNullable(state.get(key));
  }

  @Override
  public void putState(String key, byte[] value) {
    state.put(key, value);
  }

  @Override
  public void delState(String key) {
    state.remove(key);
  }

  @Override
  public SortedMap<String, byte[]> getStateByRange(String startKey, String endKey) {
    return new TreeMap<>(state.subMap(startKey, endKey));
  }
}
