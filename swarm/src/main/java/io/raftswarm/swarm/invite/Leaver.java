package io.raftswarm.swarm.invite;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.common.files.FileTrees;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.Labels;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.ProvisionStep;
import io.raftswarm.swarm.provision.StepOutcome;
import io.raftswarm.swarm.provision.StepsRunner;
import io.raftswarm.swarm.provision.SwarmDeparture;
import io.raftswarm.swarm.render.NetworkRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code raftswarm leave}, run on a host that joined with {@code raftswarm join}: the host's own
 * side of {@code raftswarm down}, with the local engine only. Stops and removes this host's
 * containers (docker-compose down, then any container still labelled with the network), leaves
 * the swarm, and deletes the bundle, the join kit and (unless {@code keepData}) the ledgers. Every
 * step is idempotent. The inviting side's {@code raftswarm down} leaves this host alone.
 */
public final class Leaver {
  private static final int STEPS = 4;

  /** @param docker the local engine, {@code unix:///var/run/docker.sock} */
  public record Options(Path workDir, String docker, boolean keepData) {}

  private final Options options;
  private final PrintWriter out;

  public Leaver(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  public void run() {
    Path workDir = options.workDir().toAbsolutePath().normalize();
    Path kitDir = workDir.resolve(Joiner.KIT_DIR);
    Path bundleDir = workDir.resolve(JoinManifest.BUNDLE_DIR);
    if (!Files.isDirectory(kitDir) && !Files.isDirectory(bundleDir) && !Files.isDirectory(workDir.resolve("data"))) {
      throw new UserError(workDir + " holds no joined network (no " + Joiner.KIT_DIR + "/, " + JoinManifest.BUNDLE_DIR
          + "/ or data/); give the --work-dir the join used");
    }
    StepsRunner steps = new StepsRunner(new Progress(out), STEPS, "run the same raftswarm leave again",
        "nothing to roll back: leave only removes");
    String network = Files.isRegularFile(kitDir.resolve(JoinManifest.FILE)) ? readNetwork(kitDir) : null;
    try (LocalDocker docker = LocalDocker.open(options.docker())) {
      steps.run(ProvisionStep.of("ComposeDown", p -> composeDown(docker, bundleDir, network, p)));
      steps.run(ProvisionStep.of("LeaveSwarm", p -> leaveSwarm(docker, p)));
    }
    steps.run(ProvisionStep.of("RemoveFiles", p -> remove(workDir, p)));
    steps.run(ProvisionStep.of("Done", p -> StepOutcome.unchanged(null, "this host left the network")));
    out.flush();
  }

  private static String readNetwork(Path kitDir) {
    try {
      return JoinManifest.read(kitDir.resolve(JoinManifest.FILE)).network();
    } catch (IOException | RuntimeException e) {
      return null; // an unreadable manifest: compose down still finds the containers
    }
  }

  private StepOutcome<Void> composeDown(LocalDocker docker, Path bundleDir, String network, Progress p) throws Exception {
    boolean acted = false;
    if (Files.isRegularFile(bundleDir.resolve(NetworkRenderer.COMPOSE_FILE))) {
      Joiner.ExecOut r = Joiner.run(List.of("docker-compose", "-f", NetworkRenderer.COMPOSE_FILE, "down"), bundleDir,
          Map.of("DOCKER_HOST", options.docker()), Duration.ofMinutes(3));
      long removed = r.output().lines().filter(l -> l.matches("(?i)^\\s*(stopping|removing)\\b.*")).count();
      p.line(removed == 0 ? "no containers of the compose file" : removed + " compose actions (stopping, removing)");
      acted = removed > 0;
    }
    if (network != null) {
      List<Container> left = docker.client().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(Labels.NETWORK, network)).exec();
      for (Container c : left) {
        docker.client().removeContainerCmd(c.getId()).withForce(true).exec();
        p.line("removed leftover container " + String.join(",", c.getNames()));
        acted = true;
      }
    }
    return StepOutcome.of(null, acted, acted ? "this host's containers removed" : "no containers left");
  }

  private StepOutcome<Void> leaveSwarm(LocalDocker docker, Progress p) {
    SwarmInfo info = docker.client().infoCmd().exec().getSwarm();
    LocalNodeState state = info == null ? LocalNodeState.INACTIVE : info.getLocalNodeState();
    if (state == LocalNodeState.INACTIVE) {
      return StepOutcome.unchanged(null, "not in a swarm");
    }
    SwarmDeparture.leave(docker.client(), "", p);
    return StepOutcome.of(null, true, "left the swarm (was " + state + ")");
  }

  private StepOutcome<Void> remove(Path workDir, Progress p) throws IOException {
    List<String> parts = options.keepData() ? List.of(Joiner.KIT_DIR, JoinManifest.BUNDLE_DIR)
        : List.of(Joiner.KIT_DIR, JoinManifest.BUNDLE_DIR, "data");
    boolean acted = false;
    for (String part : parts) {
      Path dir = workDir.resolve(part);
      if (Files.exists(dir)) {
        FileTrees.deleteRecursively(dir);
        p.line("deleted " + dir);
        acted = true;
      }
    }
    return StepOutcome.of(null, acted, acted ? "files removed" + (options.keepData() ? " (data kept)" : "") : "no files left");
  }
}
