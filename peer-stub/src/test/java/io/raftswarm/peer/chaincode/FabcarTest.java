package io.raftswarm.peer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FabcarTest {
  private final Fabcar cc = new Fabcar();
  private final MapStub stub = new MapStub();

  @Test
  void init_ledger_creates_ten_cars_in_fabric_samples_json() {
    assertThat(cc.invoke(stub.with("initLedger")).isOk()).isTrue();
    assertThat(stub.state).hasSize(10);
    assertThat(cc.invoke(stub.with("queryCar", "CAR0")).payloadUtf8())
        .isEqualTo("{\"make\":\"Toyota\",\"model\":\"Prius\",\"colour\":\"blue\",\"owner\":\"Tomoko\"}");
  }

  @Test
  void change_car_owner_twice_keeps_the_last_owner() {
    cc.invoke(stub.with("initLedger"));
    assertThat(cc.invoke(stub.with("changeCarOwner", "CAR0", "KC")).isOk()).isTrue();
    assertThat(cc.invoke(stub.with("changeCarOwner", "CAR0", "KC2")).isOk()).isTrue();
    assertThat(stub.get("CAR0")).isEqualTo("{\"make\":\"Toyota\",\"model\":\"Prius\",\"colour\":\"blue\",\"owner\":\"KC2\"}");
  }

  @Test
  void create_and_query_all_cars() {
    cc.invoke(stub.with("createCar", "CAR12", "Honda", "Accord", "black", "Tom"));
    cc.invoke(stub.with("createCar", "CAR2", "Tata", "Nano", "indigo", "Valeria"));
    assertThat(cc.invoke(stub.with("queryAllCars")).payloadUtf8()).isEqualTo(
        "[{\"Key\":\"CAR12\",\"Record\":{\"make\":\"Honda\",\"model\":\"Accord\",\"colour\":\"black\",\"owner\":\"Tom\"}},"
            + "{\"Key\":\"CAR2\",\"Record\":{\"make\":\"Tata\",\"model\":\"Nano\",\"colour\":\"indigo\",\"owner\":\"Valeria\"}}]");
  }

  @Test
  void unknown_car_is_an_error() {
    assertThat(cc.invoke(stub.with("changeCarOwner", "CAR99", "KC")).message()).isEqualTo("CAR99 does not exist");
  }
}
