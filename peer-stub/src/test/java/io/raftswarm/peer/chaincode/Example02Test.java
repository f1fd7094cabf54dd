package io.raftswarm.peer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Example02Test {
  private final Example02 cc = new Example02();
  private final MapStub stub = new MapStub();

  @Test
  void seed_story_init_then_three_transfers_leaves_a_at_70() {
    assertThat(cc.init(stub.with("init", "a", "100", "b", "200")).isOk()).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(cc.invoke(stub.with("invoke", "a", "b", "10")).isOk()).isTrue();
    }
    assertThat(cc.invoke(stub.with("query", "a")).payloadUtf8()).isEqualTo("70");
    assertThat(stub.get("b")).isEqualTo("230");
  }

  @Test
  void delete_removes_the_account_and_query_then_fails() {
    cc.init(stub.with("init", "a", "100", "b", "200"));
    assertThat(cc.invoke(stub.with("delete", "a")).isOk()).isTrue();
    ChaincodeResponse query = cc.invoke(stub.with("query", "a"));
    assertThat(query.isOk()).isFalse();
    assertThat(query.message()).contains("Nil amount for a");
  }

  @Test
  void bad_arguments_are_errors_and_write_nothing() {
    assertThat(cc.init(stub.with("init", "a", "x", "b", "200")).isOk()).isFalse();
    assertThat(cc.invoke(stub.with("invoke", "a", "b")).message()).contains("Expecting 3");
    assertThat(cc.invoke(stub.with("transfer", "a", "b", "1")).message()).contains("Invalid invoke function name");
    assertThat(stub.state).isEmpty();
  }
}
