package io.raftswarm.orderer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.common.fabric.Consenter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConsenterPlacementTest {
  /** The lab's layout: four orderers on host1, three on host2, interleaved. */
  private static final ConsenterPlacement LAB = placement("host1", "host1", "host2", "host2", "host1", "host2", "host1");
  private static final byte[] PEM = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);

  /** Consenters 1..n at orderer{i}.example.com:{7052 + i}. */
  private static List<Consenter> consenters(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> new Consenter(i, "orderer" + i + ".example.com", 7052 + i, PEM, PEM)).toList();
  }

  private static ConsenterPlacement placement(String... machines) {
    StringBuilder text = new StringBuilder("# rendered\n");
    for (int i = 0; i < machines.length; i++) {
      text.append("orderer").append(i + 1).append(".example.com:").append(7053 + i).append(' ').append(machines[i]).append('\n');
    }
    return ConsenterPlacement.parse(text.toString(), "placement");
  }

  @Test
  void the_machine_running_most_consenters_holds_the_preferred_leaders() {
    assertThat(LAB.preferredLeaders(consenters(7))).containsExactlyInAnyOrder(1, 2, 5, 7);
  }

  @Test
  void a_tie_goes_to_the_machine_first_by_name_on_every_orderer() {
    assertThat(placement("b", "a", "b", "a").preferredLeaders(consenters(4))).containsExactlyInAnyOrder(2, 4);
  }

  @Test
  void without_a_machine_running_two_consenters_every_consenter_may_lead() {
    assertThat(placement("a", "b", "c").preferredLeaders(consenters(3))).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(ConsenterPlacement.none().preferredLeaders(consenters(3))).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void consenters_the_placement_does_not_know_are_not_preferred() {
    // orderers 8 and 9 joined after this orderer's placement was written
    assertThat(LAB.preferredLeaders(consenters(9))).containsExactlyInAnyOrder(1, 2, 5, 7);
  }

  /** A cut-off leader is acted on only by followers on its machine (OrdererChannels). */
  @Test
  void consenters_share_a_machine_only_when_the_placement_says_so() {
    assertThat(LAB.sameMachine(consenters(9), 1, 5)).isTrue();
    assertThat(LAB.sameMachine(consenters(9), 1, 3)).isFalse();
    assertThat(LAB.sameMachine(consenters(9), 8, 9)).as("both unknown to the placement").isFalse();
    assertThat(ConsenterPlacement.none().sameMachine(consenters(3), 1, 2)).isFalse();
  }

  @Test
  void endpoints_match_whatever_the_case_of_the_host_name() {
    ConsenterPlacement p = ConsenterPlacement.parse("ORDERER1.example.com:7053 a\norderer2.example.com:7054 a\n", "f");

    assertThat(p.preferredLeaders(consenters(3))).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void a_malformed_line_is_reported_with_its_file_and_line() {
    assertThatThrownBy(() -> ConsenterPlacement.parse("# header\norderer1.example.com:7053 host1\norderer2.example.com host1\n", "/bundle/placement"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("/bundle/placement:3: 'orderer2.example.com host1' is not '<consenter host>:<cluster port> <machine>'");
    assertThatThrownBy(() -> ConsenterPlacement.parse("orderer1.example.com:99999 host1\n", "p"))
        .hasMessageStartingWith("p:1:");
    assertThatThrownBy(() -> ConsenterPlacement.parse("orderer1.example.com:7053 host1 extra\n", "p"))
        .hasMessageStartingWith("p:1:");
  }

  @Test
  void one_endpoint_on_two_machines_is_refused() {
    assertThatThrownBy(() -> ConsenterPlacement.parse("o.example.com:7053 host1\no.example.com:7053 host2\n", "p"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("p:2: o.example.com:7053 is placed on both host1 and host2");
  }
}
