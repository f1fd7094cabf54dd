package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.swarm.network.NetworkProfile;

/**
 * Restarts a node's container, so that it mounts its new files ({@code docker stop}, then
 * {@code docker start}: a graceful stop lets a leader hand off first). Blocks until the start
 * was accepted; waiting for the node is the caller's. {@code rotate-certs} drives the engine
 * directly; {@code drill rotate-certs} goes through its fault injector, which records when the
 * stop and the start took effect for the drill's timings and starts the node again if the drill
 * is interrupted.
 */
@FunctionalInterface
public interface NodeRestart {
  void restart(NetworkProfile.NodeEntry node) throws InterruptedException;
}
