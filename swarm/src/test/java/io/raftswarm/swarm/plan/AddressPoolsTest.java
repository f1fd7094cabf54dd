package io.raftswarm.swarm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPoolsTest {
  @Test
  void the_pool_never_contains_a_host_address() {
    assertThat(AddressPools.choose(List.of("10.77.0.1", "10.77.0.2"))).isEqualTo("10.201.0.0/16");
    assertThat(AddressPools.choose(List.of("10.201.3.4", "10.77.0.2"))).isEqualTo("10.202.0.0/16");
  }

  @Test
  void cidr_containment() {
    assertThat(AddressPools.contains("10.201.0.0/16", "10.201.255.1")).isTrue();
    assertThat(AddressPools.contains("10.201.0.0/16", "10.202.0.1")).isFalse();
    assertThat(AddressPools.contains("192.168.240.0/20", "192.168.255.255")).isTrue();
    assertThat(AddressPools.contains("192.168.240.0/20", "192.168.239.1")).isFalse();
  }
}
