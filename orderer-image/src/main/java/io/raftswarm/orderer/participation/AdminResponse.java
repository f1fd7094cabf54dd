package io.raftswarm.orderer.participation;

import java.util.Map;

/**
 * The answer to an {@link AdminRequest}.
 *
 * @param headers extra headers (Location, Allow, Cache-Control); Content-Type is set when there is a body
 * @param json the body, or null for none (204, 302)
 */
public record AdminResponse(int status, Map<String, String> headers, String json) {
  public AdminResponse {
    headers = Map.copyOf(headers);
  }
}
