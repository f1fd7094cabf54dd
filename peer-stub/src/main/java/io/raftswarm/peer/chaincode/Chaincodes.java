package io.raftswarm.peer.chaincode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The chaincode types this peer has built in, by type name. Immutable. */
public final class Chaincodes {
  private final Map<String, Chaincode> byType;

  public Chaincodes(List<Chaincode> chaincodes) {
    this.byType = chaincodes.stream().collect(Collectors.toUnmodifiableMap(Chaincode::type, Function.identity()));
  }

  /** Every built-in chaincode: add new ones here. */
  public static Chaincodes builtIn() {
    return new Chaincodes(List.of(new Example02(), new Fabcar()));
  }

  public Optional<Chaincode> byType(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public java.util.Set<String> types() {
    return new java.util.TreeSet<>(byType.keySet());
  }
}
