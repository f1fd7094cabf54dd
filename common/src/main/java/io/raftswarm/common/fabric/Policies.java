package io.raftswarm.common.fabric;

import java.util.List;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/** The two policy kinds configtxgen's sample profiles use, encoded as Fabric encodes them. */
final class Policies {
  static final String ADMINS = "Admins";

  private Policies() {}

  /** {@code OR('<msp>.<role>', ...)}: one signature by any of the roles. */
  static ConfigPolicy anyOf(String mspId, List<MSPRole.MSPRoleType> roles) {
    SignaturePolicy.NOutOf.Builder rule = SignaturePolicy.NOutOf.newBuilder().setN(1);
    SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
    for (int i = 0; i < roles.size(); i++) {
      rule.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
      envelope.addIdentities(MSPPrincipal.newBuilder()
          .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
          .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRole(roles.get(i)).build().toByteString()));
    }
    envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(rule));
    return policy(Policy.PolicyType.SIGNATURE, envelope.build().toByteString());
  }

  /** {@code <RULE> <subPolicy>} over the sub-groups, e.g. "MAJORITY Admins". */
  static ConfigPolicy implicitMeta(ImplicitMetaPolicy.Rule rule, String subPolicy) {
    return policy(Policy.PolicyType.IMPLICIT_META,
        ImplicitMetaPolicy.newBuilder().setRule(rule).setSubPolicy(subPolicy).build().toByteString());
  }

  private static ConfigPolicy policy(Policy.PolicyType type, com.google.protobuf.ByteString value) {
    return ConfigPolicy.newBuilder()
        .setModPolicy(ADMINS)
        .setPolicy(Policy.newBuilder().setType(type.getNumber()).setValue(value))
        .build();
  }
}
