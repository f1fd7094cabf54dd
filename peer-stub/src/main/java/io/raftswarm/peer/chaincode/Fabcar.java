package io.raftswarm.peer.chaincode;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fabric-samples' fabcar (the seed's chaincode): cars keyed CAR0..CARn with JSON values
 * {@code {"make","model","colour","owner"}} in the Go struct's field order, so every peer
 * writes byte-identical values.
 */
public final class Fabcar implements Chaincode {
  private static final ObjectMapper JSON = new ObjectMapper();

  @JsonPropertyOrder({"make", "model", "colour", "owner"})
  record Car(String make, String model, String colour, String owner) {}

  private static final List<Car> INITIAL_CARS = List.of(
      new Car("Toyota", "Prius", "blue", "Tomoko"),
      new Car("Ford", "Mustang", "red", "Brad"),
      new Car("Hyundai", "Tucson", "green", "Jin Soo"),
      new Car("Volkswagen", "Passat", "yellow", "Max"),
      new Car("Tesla", "S", "black", "Adriana"),
      new Car("Peugeot", "205", "purple", "Michel"),
      new Car("Chery", "S22L", "white", "Aarav"),
      new Car("Fiat", "Punto", "violet", "Pari"),
      new Car("Tata", "Nano", "indigo", "Valeria"),
      new Car("Holden", "Barina", "brown", "Shotaro"));

  @Override
  public String type() {
    return "fabcar";
  }

  @Override
  public ChaincodeResponse init(ChaincodeStub stub) {
    return ChaincodeResponse.success();
  }

  @Override
  public ChaincodeResponse invoke(ChaincodeStub stub) {
    List<String> args = stub.parameters();
    return switch (stub.function()) {
      case "initLedger" -> initLedger(stub);
      case "queryCar" -> queryCar(stub, args);
      case "queryAllCars" -> queryAllCars(stub);
      case "createCar" -> createCar(stub, args);
      case "changeCarOwner" -> changeCarOwner(stub, args);
      default -> ChaincodeResponse.error("Invalid Smart Contract function name \"" + stub.function()
          + "\". Expecting initLedger, queryCar, queryAllCars, createCar or changeCarOwner");
    };
  }

  private ChaincodeResponse initLedger(ChaincodeStub stub) {
    for (int i = 0; i < INITIAL_CARS.size(); i++) {
      stub.putState("CAR" + i, toJson(INITIAL_CARS.get(i)));
    }
    return ChaincodeResponse.success();
  }

  private ChaincodeResponse queryCar(ChaincodeStub stub, List<String> args) {
    if (args.size() != 1) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting 1");
    }
    return stub.getState(args.get(0))
        .map(ChaincodeResponse::success)
        .orElseGet(() -> ChaincodeResponse.error(args.get(0) + " does not exist"));
  }

  private ChaincodeResponse queryAllCars(ChaincodeStub stub) {
    ArrayNode result = JSON.createArrayNode();
    for (Map.Entry<String, byte[]> entry : stub.getStateByRange("CAR0", "CAR999").entrySet()) {
      try {
        result.addObject().put("Key", entry.getKey()).set("Record", JSON.readTree(entry.getValue()));
      } catch (IOException e) {
        return ChaincodeResponse.error("car " + entry.getKey() + " holds invalid JSON: " + e.getMessage());
      }
    }
    return ChaincodeResponse.success(result.toString());
  }

  private ChaincodeResponse createCar(ChaincodeStub stub, List<String> args) {
    if (args.size() != 5) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting 5 (key, make, model, colour, owner)");
    }
    byte[] car = toJson(new Car(args.get(1), args.get(2), args.get(3), args.get(4)));
    stub.putState(args.get(0), car);
    // Not in the 1.4 sample: an event per change, as the later asset-transfer-events sample emits,
    // so Gateway clients can listen (the payload is {"key":..,"car":{..}}).
    stub.setEvent("CreateCar", eventPayload(args.get(0), car));
    return ChaincodeResponse.success();
  }

  private ChaincodeResponse changeCarOwner(ChaincodeStub stub, List<String> args) {
    if (args.size() != 2) {
      return ChaincodeResponse.error("Incorrect number of arguments. Expecting 2 (key, new owner)");
    }
    Optional<byte[]> raw = stub.getState(args.get(0));
    if (raw.isEmpty()) {
      return ChaincodeResponse.error(args.get(0) + " does not exist");
    }
    Car car;
    try {
      car = JSON.readValue(raw.get(), Car.class);
    } catch (IOException e) {
      return ChaincodeResponse.error(args.get(0) + " holds invalid JSON: " + e.getMessage());
    }
    byte[] changed = toJson(new Car(car.make(), car.model(), car.colour(), args.get(1)));
    stub.putState(args.get(0), changed);
    stub.setEvent("ChangeCarOwner", eventPayload(args.get(0), changed));
    return ChaincodeResponse.success();
  }

  private static byte[] eventPayload(String key, byte[] carJson) {
    String keyJson;
    try {
      keyJson = JSON.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + key, e);
    }
    return ("{\"key\":" + keyJson + ",\"car\":" + new String(carJson, java.nio.charset.StandardCharsets.UTF_8) + "}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] toJson(Car car) {
    try {
      return JSON.writeValueAsBytes(car);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + car, e);
    }
  }
}
