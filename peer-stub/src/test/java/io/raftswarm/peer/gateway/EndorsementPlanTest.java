package io.raftswarm.peer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.peer.validation.EndorsementPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndorsementPlanTest {
  private static List<String> plan(String policy, String... candidates) {
    return EndorsementPlan.orgs(EndorsementPolicy.parse(policy), List.of(candidates)).orElse(null);
  }

  @Test
  void and_needs_every_named_org() {
    assertThat(plan("AND('Org1MSP.peer','Org2MSP.peer')", "Org1MSP", "Org2MSP", "Org3MSP"))
        .containsExactly("Org1MSP", "Org2MSP");
  }

  @Test
  void or_takes_the_gateways_own_org_when_it_can() {
    assertThat(plan("OR('Org1MSP.peer','Org2MSP.peer')", "Org2MSP", "Org1MSP")).containsExactly("Org2MSP");
  }

  @Test
  void out_of_picks_the_fewest_orgs_in_preference_order() {
    assertThat(plan("OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')", "Org3MSP", "Org1MSP", "Org2MSP"))
        .containsExactly("Org3MSP", "Org1MSP");
  }

  @Test
  void no_plan_when_an_org_the_policy_needs_has_no_peer_to_ask() {
    assertThat(plan("AND('Org1MSP.peer','Org2MSP.peer')", "Org1MSP")).isNull();
  }

  @Test
  void one_peer_per_org_cannot_meet_two_signatures_of_the_same_org() {
    assertThat(plan("AND('Org1MSP.peer','Org1MSP.peer')", "Org1MSP", "Org2MSP")).isNull();
  }
}
