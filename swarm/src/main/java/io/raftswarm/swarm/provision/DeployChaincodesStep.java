package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.client.DeployRequest;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys the demo chaincodes on every channel unless already deployed: example02 as
 * {@code mycc} ({@code init a 100 b 200}, as in the seeds) and fabcar, both with the endorsement
 * policy AND('Org1MSP.peer','Org2MSP.peer') (or the peer orgs this network has). Done when every
 * peer has both committed: a deploy waits for its block on one peer only, and endorsing through
 * another before it committed that block fails with "not deployed" (seen in the lab).
 */
public final class DeployChaincodesStep implements ProvisionStep<Void> {
  public static final String EXAMPLE02 = "mycc";
  public static final String FABCAR = "fabcar";
  /** Peers commit a block a moment after the one that answered the deploy; a loaded lab takes seconds. */
  static final Duration ON_EVERY_PEER = Duration.ofSeconds(60);

  private final NetworkProfile profile;
  private final FabricClient client;

  public DeployChaincodesStep(NetworkProfile profile, FabricClient client) {
    this.profile = profile;
    this.client = client;
  }

  @Override
  public String name() {
    return "DeployChaincodes";
  }

  /** AND over one peer role per peer org, e.g. AND('Org1MSP.peer','Org2MSP.peer'). */
  static String policy(NetworkProfile profile) {
    List<String> msps = profile.peers().stream().map(NetworkProfile.NodeEntry::mspId).distinct()
        .map(m -> "'" + m + ".peer'").toList();
    return "AND(" + String.join(",", msps) + ")";
  }

  private void awaitOnEveryPeer(String channel, String name) throws InterruptedException {
    List<String> peers = profile.peers().stream().map(NetworkProfile.NodeEntry::name).toList();
    Wait.upTo(ON_EVERY_PEER, Duration.ofMillis(250)).untilOrThrow(
        () -> peers.stream().filter(p -> client.chaincodeDefinition(p, channel, name).isEmpty()).toList(),
        List::isEmpty,
        missing -> { },
        missing -> new UserError(name + " is deployed on " + channel + " but " + missing + " had not committed its"
            + " deploy after " + ON_EVERY_PEER.toSeconds() + " s; check those peers' logs and raftswarm status, then"
            + " run provision again"));
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
    String policy = policy(profile);
    List<String> deployed = new ArrayList<>();
    for (String channel : profile.channels()) {
      List<DeployRequest> requests = List.of(
          DeployRequest.of(channel, EXAMPLE02, "example02", List.of("init", "a", "100", "b", "200"), policy),
          DeployRequest.of(channel, FABCAR, "fabcar", List.of(), policy));
      for (DeployRequest r : requests) {
        if (client.deployIfAbsent(r)) {
          progress.line(r.name() + " (" + r.type() + ") deployed on " + channel + " with " + policy);
          deployed.add(r.name() + "@" + channel);
        }
      }
    }
    for (String channel : profile.channels()) {
      for (String name : List.of(EXAMPLE02, FABCAR)) {
        awaitOnEveryPeer(channel, name);
      }
    }
    return StepOutcome.of(null, !deployed.isEmpty(), deployed.isEmpty()
        ? "mycc and fabcar already deployed" : "deployed " + deployed);
  }
}
