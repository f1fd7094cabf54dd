package io.raftswarm.swarm.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Who a command runs for: the directory its relative paths mean and the environment it reads
 * ({@code RAFTSWARM_NETWORK}, {@code RAFTSWARM_DEBUG}). A command run by its own JVM reads that
 * JVM's; one run by the resident CLI ({@code raftswarm resident}) reads its caller's, which the
 * resident JVM's own cwd and environment are not.
 *
 * @param workingDirectory the caller's directory, absolute; null means this JVM's (paths stay
 *     relative, as the operator typed them)
 * @param environment the caller's environment variables
 */
public record Invocation(Path workingDirectory, Map<String, String> environment) {

  public Invocation {
    environment = Map.copyOf(environment);
  }

  /** This JVM's own directory and environment. */
  public static Invocation ofThisProcess() {
    return new Invocation(null, System.getenv());
  }

  /** A path the caller typed, relative to the caller's directory. */
  Path path(String typed) {
    return workingDirectory == null ? Path.of(typed) : workingDirectory.resolve(typed);
  }

  /** The caller's variable, or null when unset or blank. */
  String variable(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** The network directory a command uses when not given {@code --network}. */
  Path defaultNetworkDir() {
    String env = variable("RAFTSWARM_NETWORK");
    return path(env == null ? "raftswarm-net" : env);
  }
}
