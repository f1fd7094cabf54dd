package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.render.NetworkRenderer;
import java.nio.file.Path;

/** Joins every peer to every channel with the channel's genesis block (as its org's Admin). */
public final class JoinPeersStep implements ProvisionStep<Void> {
  private final NetworkProfile profile;
  private final Path outDir;
  private final FabricClient client;
  private final OperationsClient ops;

  public JoinPeersStep(NetworkProfile profile, Path outDir, FabricClient client,
      OperationsClient ops) {
    this.profile = profile;
    this.outDir = outDir;
    this.client = client;
    this.ops = ops;
  }

  @Override
  public String name() {
    return "JoinPeers";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) {
    int joined = 0;
    for (String channel : profile.channels()) {
      Path block = outDir.resolve(NetworkRenderer.ARTIFACTS_DIR).resolve(channel + ".block");
      for (NetworkProfile.NodeEntry peer : profile.peers()) {
        // A peer lists its channels in /status: a cheap HTTP check before a signed proposal.
        boolean listed = ops.peerStatus(peer.operationsEndpoint())
            .flatMap(s -> s.channel(channel)).isPresent();
        if (!listed && client.joinChannel(peer.name(), block)) {
          progress.line(peer.name() + " joined " + channel);
          joined++;
        }
      }
    }
    int total = profile.peers().size() * profile.channels().size();
    return StepOutcome.of(null, joined > 0, joined == 0 ? "all " + total + " joins already done"
        : joined + " of " + total + " joins done now");
  }
}
