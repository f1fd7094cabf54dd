package io.raftswarm.common.status;

/**
 * One channel in a peer's {@code /status}. The component order is the JSON field order.
 *
 * @param height number of committed blocks
 * @param lastBlockHash hex header hash of the newest block
 * @param stateHash hex SHA-256 over the world state (equal on peers with equal state)
 * @param orderer the orderer endpoint blocks are currently pulled from
 */
public record PeerChannelStatus(String channel, long height, String lastBlockHash, String stateHash, String orderer) {}
