package io.raftswarm.peer.chaincode;

import java.util.List;
import java.util.Optional;

/**
 * Fabric's chaincode_example02 (fabric-samples {@code chaincode/chaincode_example02/go}):
 * two accounts with integer balances. {@code init a 100 b 200}, {@code invoke a b 10} (move 10
 * from a to b), {@code query a}, {@code delete a}. Messages follow the Go original.
 */
public final class Example02 implements Chaincode {

  @Override
  public String type() {
    return "example02";
  }

  @Override
  public ChaincodeResponse init(ChaincodeStub stub) {
    List<String> args = stub.parameters();
    if (args.size() != 4) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting 4 (init A Aval B Bval), got " + args.size());
    }
    Optional<Integer> aval = parse(args.get(1));
    Optional<Integer> bval = parse(args.get(3));
    if (aval.isEmpty() || bval.isEmpty()) {
      return ChaincodeResponse.error("Expecting integer value for asset holding");
    }
    stub.putStringState(args.get(0), Integer.toString(aval.get()));
    stub.putStringState(args.get(2), Integer.toString(bval.get()));
    return ChaincodeResponse.success();
  }

  @Override
  public ChaincodeResponse invoke(ChaincodeStub stub) {
    return switch (stub.function()) {
      case "invoke" -> move(stub, stub.parameters());
      case "delete" -> delete(stub, stub.parameters());
      case "query" -> query(stub, stub.parameters());
      default -> ChaincodeResponse.error(
          "Invalid invoke function name \"" + stub.function() + "\". Expecting \"invoke\" \"delete\" \"query\"");
    };
  }

  private ChaincodeResponse move(ChaincodeStub stub, List<String> args) {
    if (args.size() != 3) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting 3 (invoke A B X)");
    }
    String a = args.get(0);
    String b = args.get(1);
    Optional<String> aRaw = stub.getStringState(a);
    Optional<String> bRaw = stub.getStringState(b);
    if (aRaw.isEmpty()) {
      return ChaincodeResponse.error("Entity not found: " + a);
    }
    if (bRaw.isEmpty()) {
      return ChaincodeResponse.error("Entity not found: " + b);
    }
    Optional<Integer> x = parse(args.get(2));
    if (x.isEmpty()) {
      return ChaincodeResponse.error("Invalid transaction amount, expecting a integer value");
    }
    int aval = Integer.parseInt(aRaw.get()) - x.get();
    int bval = Integer.parseInt(bRaw.get()) + x.get();
    stub.putStringState(a, Integer.toString(aval));
    stub.putStringState(b, Integer.toString(bval));
    return ChaincodeResponse.success();
  }

  private ChaincodeResponse delete(ChaincodeStub stub, List<String> args) {
    if (args.size() != 1) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting 1");
    }
    stub.delState(args.get(0));
    return ChaincodeResponse.success();
  }

  private ChaincodeResponse query(ChaincodeStub stub, List<String> args) {
    if (args.size() != 1) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting name of the person to query");
    }
    String name = args.get(0);
    return stub.getStringState(name)
        .map(ChaincodeResponse::success)
        .orElseGet(() -> ChaincodeResponse.error("{\"Error\":\"Nil amount for " + name + "\"}"));
  }

  private static Optional<Integer> parse(String value) {
    try {
      return Optional.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
