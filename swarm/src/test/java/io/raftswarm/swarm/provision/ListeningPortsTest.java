package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListeningPortsTest {
  @Test
  void only_listening_sockets_count_from_ipv4_and_ipv6_tables() {
    String proc = String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 00000000:1B8A 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1",
        "   1: 0100007F:0016 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2",
        "  sl  local_address                         remote_address                        st",
        "   0: 00000000000000000000000000000000:20FB 00000000000000000000000000000000:0000 0A 0 0 0",
        "");
    assertThat(ListeningPorts.parse(proc)).containsExactly(7050, 8443);
  }
}
