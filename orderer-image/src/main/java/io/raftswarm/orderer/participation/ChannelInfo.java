package io.raftswarm.orderer.participation;

import io.raftswarm.orderer.ops.Json;

/**
 * One channel as the channel participation API reports it (Fabric's {@code types.ChannelInfo}).
 *
 * @param consensusRelation {@code consenter} (the only relation raftswarm orderers have today)
 * @param status {@code active} once the channel's Raft node runs
 */
public record ChannelInfo(String name, String consensusRelation, String status, long height) {
  public static final String URL_BASE = "/participation/v1/channels";

  public String url() {
    return URL_BASE + "/" + name;
  }

  /** {@code {"name":..,"url":..,"consensusRelation":..,"status":..,"height":..}}, Fabric's field order. */
  public String json() {
    return "{\"name\":" + Json.quote(name) + ",\"url\":" + Json.quote(url()) + ",\"consensusRelation\":"
        + Json.quote(consensusRelation) + ",\"status\":" + Json.quote(status) + ",\"height\":" + Long.toUnsignedString(height) + "}";
  }
}
