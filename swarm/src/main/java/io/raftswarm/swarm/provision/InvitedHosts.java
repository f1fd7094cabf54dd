package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.plan.NetworkPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What invited hosts ({@code invite: true}) change in a provision run: which steps can run
 * before they join, and what the operator does next. Pure: computed from the plan.
 *
 * @param names the invited hosts, in inventory order
 * @param majority whether the orderers on the reachable hosts are a Raft majority
 * @param orgsWithoutReachablePeer peer organizations whose peers all run on invited hosts
 */
public record InvitedHosts(List<String> names, boolean majority, List<String> orgsWithoutReachablePeer,
    int reachableOrderers, int orderers) {

  public InvitedHosts {
    names = List.copyOf(names);
    orgsWithoutReachablePeer = List.copyOf(orgsWithoutReachablePeer);
  }

  public static InvitedHosts of(NetworkPlan plan) {
    Set<String> invited = plan.invitedHosts().stream().map(NetworkPlan.PlannedHost::name)
        .collect(Collectors.toSet());
    List<String> names = plan.invitedHosts().stream().map(NetworkPlan.PlannedHost::name).toList();
    int reachable = (int) plan.orderers().stream().filter(o -> !invited.contains(o.host())).count();
    List<String> orgs = plan.peerOrgs().stream().map(NetworkPlan.PlannedOrg::name)
        .filter(org -> plan.peers().stream().noneMatch(p -> p.org().equals(org) && !invited.contains(p.host())))
        .toList();
    return new InvitedHosts(names, plan.reachableOrderersHoldMajority(), orgs, reachable,
        plan.orderers().size());
  }

  public boolean any() {
    return !names.isEmpty();
  }

  /** Deploy and the smoke invoke need a leader and an endorsing peer of every org. */
  public boolean canDeploy() {
    return majority && orgsWithoutReachablePeer.isEmpty();
  }

  private String after() {
    return "after " + String.join(" and ", names) + (names.size() == 1 ? " joins" : " join");
  }

  String noMajorityReason() {
    return after() + ": the reachable hosts run " + reachableOrderers + " of " + orderers
        + " orderers, no Raft majority (" + (orderers / 2 + 1) + " needed), so no channel has a leader yet";
  }

  String deployReason() {
    if (!majority) {
      return noMajorityReason();
    }
    return after() + ": the endorsement policy needs a peer of " + String.join(", ", orgsWithoutReachablePeer)
        + ", whose peers all run there; then run raftswarm chaincode deploy (see README)";
  }

  /** Printed before the host steps: what this run leaves out. */
  void announce(PrintWriter out) {
    if (!any()) {
      return;
    }
    out.println("Invited hosts " + names + " are joined by their own operators (raftswarm invite, then"
        + " raftswarm join there); this run renders their bundles but never connects to them.");
    if (!majority) {
      out.println("  NOTE: the reachable hosts run " + reachableOrderers + " of " + orderers + " orderers,"
          + " not a Raft majority (" + (orderers / 2 + 1) + "): no channel elects a leader and nothing can be"
          + " ordered until " + String.join(", ", names) + " joined. WaitLeaders, DeployChaincodes and"
          + " SmokeInvoke are skipped.");
    }
    out.flush();
  }

  /** Printed at the end: the command that hands each invited host its bundle. */
  void nextSteps(PrintWriter out, Path networkDir) {
    if (!any()) {
      return;
    }
    out.println();
    out.println("Next: invite " + String.join(", ", names) + ". On this machine run");
    for (String h : names) {
      out.println("  raftswarm invite " + h + " --network " + networkDir);
    }
    out.println("and give the 'raftswarm join ...' line it prints to " + String.join("'s, ", names)
        + "'s operator, who runs it on that host.");
    out.flush();
  }
}
