package io.raftswarm.swarm.drill.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import io.raftswarm.swarm.network.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerContainersTest {

  @Test
  void the_network_filter_selects_the_networks_containers_of_this_render() {
    assertThat(Labels.ofNetwork("first-network", "7f3a"))
        .containsExactly(Map.entry("io.raftswarm.network", "first-network"), Map.entry("io.raftswarm.run", "7f3a"));
  }

  @Test
  void a_network_json_without_a_run_id_filters_by_network_only() {
    assertThat(Labels.ofNetwork("first-network", ""))
        .containsExactly(Map.entry("io.raftswarm.network", "first-network"));
    assertThat(Labels.ofNetwork("first-network", null))
        .containsExactly(Map.entry("io.raftswarm.network", "first-network"));
  }

  @Test
  void a_missing_container_is_reported_with_the_labels_looked_for_the_host_and_the_likely_cause() {
    String message = DockerContainers.notFound(Labels.ofNetwork("first-network", "7f3a"),
        "orderer3.example.com", "host1");

    assertThat(message).isEqualTo("no container labelled io.raftswarm.node=orderer3.example.com (and "
        + "io.raftswarm.network=first-network, io.raftswarm.run=7f3a) on host host1; was the network provisioned "
        + "from this network.json?");
  }

  @Test
  void containers_are_matched_to_nodes_by_their_node_label_not_their_name() throws Exception {
    List<Container> listed = List.of(
        container("a1", "/renamed-by-hand", 10, "orderer3.example.com"),
        container("b2", "/orderer4.example.com", 10, null), // a probe on the network, no node label
        container("c3", "/orderer5.example.com", 10, "orderer5.example.com"));

    Map<String, Container> byNode = DockerContainers.byNode("host1", listed);

    assertThat(byNode).containsOnlyKeys("orderer3.example.com", "orderer5.example.com");
    assertThat(byNode.get("orderer3.example.com").getId()).isEqualTo("a1");
  }

  @Test
  void of_several_containers_of_one_node_the_newest_is_used() throws Exception {
    List<Container> listed = List.of(
        container("new", "/orderer3.example.com", 200, "orderer3.example.com"),
        container("old", "/orderer3-stale", 100, "orderer3.example.com"));

    assertThat(DockerContainers.byNode("host1", listed).get("orderer3.example.com").getId()).isEqualTo("new");
  }

  /** A container as {@code GET /containers/json} lists it. */
  private static Container container(String id, String name, long created, String node) throws Exception {
    String labels = "{\"io.raftswarm.network\":\"first-network\""
        + (node == null ? "" : ",\"io.raftswarm.node\":\"" + node + "\"") + "}";
    return new ObjectMapper().readValue("{\"Id\":\"" + id + "\",\"Names\":[\"" + name + "\"],\"Created\":" + created
        + ",\"State\":\"running\",\"Labels\":" + labels + "}", Container.class);
  }
}
