package io.raftswarm.common.configtx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.VerifiedCreator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Evaluates the policies of a channel config against a set of signatures, with Fabric's rules:
 * signature policies (cauthdsl: n-out-of over MSP principals, each signature used at most once
 * per satisfied branch) and implicit-meta policies (ANY / ALL / MAJORITY of the sub-groups'
 * policy of a name). Signatures whose identity is not a valid member of a channel MSP, or that do
 * not verify, count for nothing; one identity counts once, however often it signed.
 */
public final class PolicyEvaluator {
  private final ConfigGroup root;
  private final List<VerifiedCreator> signers = new ArrayList<>();
  private final List<String> discarded = new ArrayList<>();

  public PolicyEvaluator(ConfigGroup root, MspRegistry msps, List<SignedData> signatures) {
    this.root = root;
    Set<ByteString> seen = new HashSet<>();
    for (SignedData signed : signatures) {
      if (!seen.add(signed.identity())) {
        continue;
      }
      try {
        VerifiedCreator signer = msps.validateCreator(signed.identity());
        if (Identities.verify(signer.certificate(), signed.data(), signed.signature())) {
          signers.add(signer);
        } else {
          discarded.add("signature of " + signer.certificate().getSubjectX500Principal().getName() + " does not verify");
        }
      } catch (IdentityException | IllegalArgumentException e) {
        discarded.add(e.getMessage());
      }
    }
  }

  /**
   * Whether the policy {@code name} is satisfied: absolute ("/Channel/Orderer/Admins") or relative
   * to the group at {@code scope} (e.g. [Channel, Orderer] and "Admins").
   *
   * @throws ConfigUpdateException when it is not, with the reason
   */
  public void require(List<String> scope, String name) throws ConfigUpdateException {
    List<String> groupPath = new ArrayList<>();
    String policyName;
    if (name.startsWith("/")) {
      List<String> parts = Arrays.asList(name.substring(1).split("/"));
      groupPath.addAll(parts.subList(0, parts.size() - 1));
      policyName = parts.get(parts.size() - 1);
    } else {
      groupPath.addAll(scope);
      policyName = name;
    }
    String path = "/" + String.join("/", groupPath) + "/" + policyName;
    ConfigGroup group = group(groupPath);
    ConfigPolicy policy = group == null ? null : group.getPoliciesMap().get(policyName);
    if (policy == null) {
      throw new ConfigUpdateException("policy " + path + " does not exist");
    }
    if (!satisfied(group, policy.getPolicy(), path)) {
      throw new ConfigUpdateException("policy " + path + " not satisfied: " + explain(group, policy.getPolicy())
          + (discarded.isEmpty() ? "" : "; signatures not counted: " + String.join("; ", discarded)));
    }
  }

  private ConfigGroup group(List<String> path) {
    if (path.isEmpty() || !path.get(0).equals(ConfigMap.ROOT)) {
      return null;
    }
    ConfigGroup group = root;
    for (String name : path.subList(1, path.size())) {
      group = group.getGroupsMap().get(name);
      if (group == null) {
        return null;
      }
    }
    return group;
  }

  private boolean satisfied(ConfigGroup group, Policy policy, String path) throws ConfigUpdateException {
    try {
      return switch (policy.getType()) {
        case Policy.PolicyType.SIGNATURE_VALUE -> {
          SignaturePolicyEnvelope envelope = SignaturePolicyEnvelope.parseFrom(policy.getValue());
          yield rule(envelope.getRule(), envelope.getIdentitiesList(), new boolean[signers.size()]);
        }
        case Policy.PolicyType.IMPLICIT_META_VALUE -> {
          ImplicitMetaPolicy meta = ImplicitMetaPolicy.parseFrom(policy.getValue());
          int met = 0;
          for (var sub : group.getGroupsMap().entrySet()) {
            ConfigPolicy subPolicy = sub.getValue().getPoliciesMap().get(meta.getSubPolicy());
            if (subPolicy != null && satisfied(sub.getValue(), subPolicy.getPolicy(), path)) {
              met++;
            }
          }
          yield met >= threshold(meta, group.getGroupsCount());
        }
        default -> throw new ConfigUpdateException("policy " + path + " has type " + policy.getType()
            + ", which raftswarm does not evaluate (SIGNATURE and IMPLICIT_META only)");
      };
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException("policy " + path + " is malformed: " + e.getMessage());
    }
  }

  private static int threshold(ImplicitMetaPolicy meta, int subGroups) {
    return switch (meta.getRule()) {
      case ANY -> 1;
      case ALL -> subGroups;
      case MAJORITY -> subGroups / 2 + 1;
      default -> Integer.MAX_VALUE;
    };
  }

  /** cauthdsl: an n-out-of succeeds only if its branches succeed with distinct signatures. */
  private boolean rule(SignaturePolicy rule, List<MSPPrincipal> principals, boolean[] used) {
    if (rule.hasSignedBy()) {
      int index = rule.getSignedBy();
      if (index < 0 || index >= principals.size()) {
        return false;
      }
      for (int i = 0; i < signers.size(); i++) {
        if (!used[i] && satisfies(signers.get(i), principals.get(index))) {
          used[i] = true;
          return true;
        }
      }
      return false;
    }
    if (rule.hasNOutOf()) {
      boolean[] attempt = used.clone();
      int verified = 0;
      for (SignaturePolicy sub : rule.getNOutOf().getRulesList()) {
        if (rule(sub, principals, attempt)) {
          verified++;
        }
      }
      if (verified >= rule.getNOutOf().getN()) {
        System.arraycopy(attempt, 0, used, 0, used.length);
        return true;
      }
      return false;
    }
    return false;
  }

  private static boolean satisfies(VerifiedCreator signer, MSPPrincipal principal) {
    try {
      return switch (principal.getPrincipalClassification()) {
        case ROLE -> {
          MSPRole role = MSPRole.parseFrom(principal.getPrincipal());
          yield role.getMspIdentifier().equals(signer.mspId()) && switch (role.getRole()) {
            case MEMBER -> true;
            case ADMIN -> signer.hasRole("admin");
            case CLIENT -> signer.hasRole("client");
            case PEER -> signer.hasRole("peer");
            case ORDERER -> signer.hasRole("orderer");
            default -> false;
          };
        }
        case IDENTITY -> {
          var identity = Identities.deserialize(principal.getPrincipal());
          yield identity.mspId().equals(signer.mspId()) && identity.certificate().equals(signer.certificate());
        }
        default -> false;
      };
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return false;
    }
  }

  /** What the policy asks for, for the error message. */
  private String explain(ConfigGroup group, Policy policy) {
    try {
      if (policy.getType() == Policy.PolicyType.IMPLICIT_META_VALUE) {
        ImplicitMetaPolicy meta = ImplicitMetaPolicy.parseFrom(policy.getValue());
        return meta.getRule() + " of the " + group.getGroupsCount() + " sub-groups' '" + meta.getSubPolicy()
            + "' policies must be satisfied (" + threshold(meta, group.getGroupsCount()) + " needed); signed by "
            + describeSigners();
      }
      return "signature policy not met; signed by " + describeSigners();
    } catch (InvalidProtocolBufferException e) {
      return "malformed policy";
    }
  }

  private String describeSigners() {
    if (signers.isEmpty()) {
      return "no valid identity";
    }
    return signers.stream().map(s -> s.mspId() + " " + s.role().orElse("member")).toList().toString();
  }
}
