package io.raftswarm.swarm.network;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A Docker host of the network and how the operator machine reaches it: planned from the
 * inventory, written to {@code network.json}, so drills and {@code down} never read the inventory
 * again. Paths are absolute on the operator machine.
 *
 * @param address how the operator machine and the other hosts reach it
 * @param manager whether it is a Swarm manager
 * @param workDir where its bundle and ledgers live
 * @param dockerSocket the engine's socket on the host, reached over SSH
 * @param ssh how to log in; null in profiles written before it was recorded, and for invited
 *     hosts the inventory gives no login for
 * @param invite whether the host's own operator joins it ({@code raftswarm invite} on the
 *     manager's side, {@code raftswarm join} on the host): provision, down and drills never
 *     reach it over SSH
 */
public record HostAccess(
    String name, String address, boolean manager, String workDir, String dockerSocket, Ssh ssh,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean invite) {

  /** The engine's socket when a profile predates {@code dockerSocket} (the inventory's default). */
  public static final String DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

  @JsonCreator
  public HostAccess {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    dockerSocket = dockerSocket == null ? DEFAULT_DOCKER_SOCKET : dockerSocket;
  }

  /** A host provision reaches over SSH. */
  public HostAccess(
      String name, String address, boolean manager, String workDir, String dockerSocket, Ssh ssh) {
    this(name, address, manager, workDir, dockerSocket, ssh, false);
  }

  /** A host without SSH details (in-JVM networks, tests). */
  public HostAccess(String name, String address, boolean manager, String workDir) {
    this(name, address, manager, workDir, DEFAULT_DOCKER_SOCKET, null, false);
  }

  /**
   * An SSH login. Exactly one of {@code knownHosts} and {@code hostKeyFingerprint} is set: the
   * host key is always verified.
   *
   * @param key private key file
   * @param knownHosts an OpenSSH known_hosts file that lists the host, or null
   * @param hostKeyFingerprint the pinned host key ({@code SHA256:<base64>}), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Ssh(String user, int port, String key, String knownHosts, String hostKeyFingerprint) {
    public Ssh {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(key, "key");
      if ((knownHosts == null) == (hostKeyFingerprint == null)) {
        throw new IllegalArgumentException("give exactly one of knownHosts and hostKeyFingerprint");
      }
    }
  }
}
