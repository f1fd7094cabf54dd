package io.raftswarm.peer.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.peer.validation.EndorsementPolicy.Endorser;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndorsementPolicyTest {
  private static final Endorser ORG1_PEER = new Endorser("Org1MSP", "peer");
  private static final Endorser ORG2_PEER = new Endorser("Org2MSP", "peer");
  private static final Endorser ORG2_CLIENT = new Endorser("Org2MSP", "client");

  @Test
  void when_and_policy_then_both_orgs_are_needed() {
    EndorsementPolicy policy = EndorsementPolicy.parse("AND('Org1MSP.peer','Org2MSP.peer')");
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER, ORG2_PEER))).isTrue();
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER))).isFalse();
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER, ORG2_CLIENT))).isFalse();
  }

  @Test
  void seed_spelling_with_space_and_double_quotes_parses() {
    EndorsementPolicy policy = EndorsementPolicy.parse("AND (\"Org1MSP.peer\", 'Org2MSP.peer')");
    assertThat(policy.toString()).isEqualTo("AND('Org1MSP.peer', 'Org2MSP.peer')");
  }

  @Test
  void when_or_policy_then_one_org_suffices() {
    EndorsementPolicy policy = EndorsementPolicy.parse("OR('Org1MSP.peer','Org2MSP.peer')");
    assertThat(policy.isSatisfiedBy(List.of(ORG2_PEER))).isTrue();
    assertThat(policy.isSatisfiedBy(List.of())).isFalse();
  }

  @Test
  void when_out_of_then_n_distinct_endorsers_are_needed() {
    EndorsementPolicy policy = EndorsementPolicy.parse("OutOf(2, 'Org1MSP.member', 'Org1MSP.member', 'Org2MSP.peer')");
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER))).isFalse();
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER, ORG2_PEER))).isTrue();
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER, new Endorser("Org1MSP", "admin")))).isTrue();
  }

  @Test
  void one_endorser_counts_for_one_principal_only() {
    EndorsementPolicy policy = EndorsementPolicy.parse("AND('Org1MSP.peer','Org1MSP.peer')");
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER))).isFalse();
    assertThat(policy.isSatisfiedBy(List.of(ORG1_PEER, ORG1_PEER))).isTrue();
  }

  @Test
  void nested_policies_and_msp_ids() {
    EndorsementPolicy policy = EndorsementPolicy.parse("OR(AND('Org1MSP.peer','Org2MSP.peer'), 'Org3MSP.admin')");
    assertThat(policy.mspIds()).containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
    assertThat(policy.isSatisfiedBy(List.of(new Endorser("Org3MSP", "admin")))).isTrue();
    assertThat(policy.isSatisfiedBy(List.of(ORG2_PEER))).isFalse();
  }

  @Test
  void errors_say_where_and_what() {
    assertThatThrownBy(() -> EndorsementPolicy.parse("AND('Org1MSP.peer'"))
        .hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> EndorsementPolicy.parse("XOR('Org1MSP.peer')"))
        .hasMessageContaining("unknown operator 'XOR'");
    assertThatThrownBy(() -> EndorsementPolicy.parse("AND('Org1MSP.boss')"))
        .hasMessageContaining("unknown role 'boss'");
    assertThatThrownBy(() -> EndorsementPolicy.parse("OutOf(3, 'A.peer', 'B.peer')"))
        .hasMessageContaining("lists only 2 rule(s)");
    assertThatThrownBy(() -> EndorsementPolicy.parse(" "))
        .hasMessageContaining("empty");
  }
}
