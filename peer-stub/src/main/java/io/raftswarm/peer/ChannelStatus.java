package io.raftswarm.peer;

/**
 * One channel as {@code /status} reports it.
 *
 * @param height number of committed blocks
 * @param lastBlockHash hex header hash of the newest block
 * @param stateHash hex SHA-256 over the world state (equal on peers with equal state)
 * @param orderer the orderer endpoint blocks are currently pulled from
 */
public record ChannelStatus(String channel, long height, String lastBlockHash, String stateHash, String orderer) {}
