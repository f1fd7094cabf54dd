package io.raftswarm.swarm.render;

import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.plan.NetworkPlan;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link NetworkRenderer#render} produced.
 *
 * @param outDir the rendered directory (absolute)
 * @param plan the plan it was rendered from
 * @param profile the network profile written to {@code outDir/network.json}
 * @param hostBundles inventory host name to its bundle directory {@code outDir/hosts/<host>},
 *     in inventory order: copy its contents to the host's {@code <workDir>/bundle/}
 */
public record RenderResult(Path outDir, NetworkPlan plan, NetworkProfile profile, Map<String, Path> hostBundles) {
  public RenderResult {
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(profile, "profile");
    hostBundles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hostBundles));
  }
}
