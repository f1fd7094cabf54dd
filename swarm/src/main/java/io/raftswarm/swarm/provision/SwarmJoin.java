package io.raftswarm.swarm.provision;

/** What the other hosts need to join the swarm the manager runs. */
public record SwarmJoin(String clusterId, String managerAddress, String managerToken,
    String workerToken) {}
