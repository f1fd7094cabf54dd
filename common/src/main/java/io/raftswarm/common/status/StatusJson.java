package io.raftswarm.common.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The one JSON mapping of the nodes' {@code /status} documents, used by the nodes that write
 * them and by swarm that reads them. Reading ignores unknown fields, so a newer node's extra
 * fields do not break an older CLI.
 */
public final class StatusJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StatusJson() {}

  public static String write(OrdererStatus status) {
    return writeValue(status);
  }

  public static String write(PeerStatus status) {
    return writeValue(status);
  }

  public static OrdererStatus readOrderer(byte[] json) throws IOException {
    return JSON.readValue(json, OrdererStatus.class);
  }

  public static OrdererStatus readOrderer(String json) throws IOException {
    return JSON.readValue(json, OrdererStatus.class);
  }

  public static PeerStatus readPeer(byte[] json) throws IOException {
    return JSON.readValue(json, PeerStatus.class);
  }

  public static PeerStatus readPeer(String json) throws IOException {
    return JSON.readValue(json, PeerStatus.class);
  }

  private static String writeValue(Object status) {
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status record does not serialize", e);
    }
  }
}
